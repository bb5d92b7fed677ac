/**
 * The SDK turns a 429 into an error without its headers, so the Retry-After the Hub sent is
 * caught here, on the way through fetch, and looked up by URL when the error arrives.
 */
const retryAfterByUrl = new Map<string, number>();
let installed = false;

export function captureRetryAfter(): void {
	if (installed) return;
	installed = true;
	const original = globalThis.fetch;
	globalThis.fetch = async (input, init) => {
		const response = await original(input, init);
		if (response.status === 429) {
			const delay = parseRetryAfter(response.headers.get('retry-after'));
			if (delay !== undefined) retryAfterByUrl.set(urlOf(input), delay);
		}
		return response;
	};
}

/** The delay the Hub asked for on its last 429 for this URL, in milliseconds. */
export function takeRetryAfter(url: string | undefined): number | undefined {
	if (!url) return undefined;
	const delay = retryAfterByUrl.get(url);
	retryAfterByUrl.delete(url);
	return delay;
}

export function parseRetryAfter(value: string | null): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
	if (typeof input === 'string') return input;
	return input instanceof URL ? input.href : input.url;
}
