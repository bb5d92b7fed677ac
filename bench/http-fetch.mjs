// A fetch over node:http with keep-alive, for the bare SDK writes' second run: lighter per call
// than Node's fetch (undici with web streams), to show how much of the gap to the floor the
// transport explains. Only what the SDK's session calls use: a URL string, method, headers, a
// string body, an abort signal; the answer is read whole before it is handed over.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true });

export function httpFetch(input, init = {}) {
	return new Promise((resolve, reject) => {
		const headers = Object.fromEntries(new Headers(init.headers));
		const request = http.request(
			String(input instanceof Request ? input.url : input),
			{ method: init.method ?? 'GET', headers, agent, signal: init.signal },
			(response) => {
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('error', reject);
				response.on('end', () => {
					const answer = new Headers();
					const raw = response.rawHeaders;
					for (let i = 0; i < raw.length; i += 2) answer.append(raw[i], raw[i + 1]);
					const body = response.statusCode === 204 ? null : Buffer.concat(chunks);
					resolve(new Response(body, { status: response.statusCode, headers: answer }));
				});
			}
		);
		request.on('error', reject);
		request.end(init.body ?? undefined);
	});
}
