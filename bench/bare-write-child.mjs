// The bare SDK writes an apply is compared with: what a script that knows exactly what to write
// does at the same parallelism, in a process of its own (Node and the SDK start as the CLI's do).
//   creates: one listing of the stack, then createSession for each session, 8 at a time.
//   updates: list every page and getSession each (the plan's read), then per session the re-read
//            before the write and updateSession (the calls the goal allows).
// Sends what the CLI sends (task, label, tags and markers of the same size). Prints its calls.
// `http` as the last argument sends through node:http instead of Node's fetch (http-fetch.mjs).
import { CoderClient } from '@agentuity/core/coder';
import pLimit from 'p-limit';
import { httpFetch } from './http-fetch.mjs';

const [url, mode, count, parallelism = '8', transport = 'fetch'] = process.argv.slice(2);
if (transport === 'http') globalThis.fetch = httpFetch;
const client = new CoderClient({ url, apiKey: 'bench' });
const limit = pLimit(Number(parallelism));
const calls = { list: 0, get: 0, create: 0, update: 0 };
const key = (i) => `s-${String(i).padStart(5, '0')}`;
/** Markers as long as the CLI's: stack, key, search token, applied stamp (17 digests), run. */
const markers = (i) => ({
	'coder-sessions/stack': 'bare',
	'coder-sessions/key': key(i),
	'coder-sessions/search-token': 'cs0123456789abcdef0123',
	'coder-sessions/applied': JSON.stringify({
		v: 1,
		h: Object.fromEntries(Array.from({ length: 17 }, (_, f) => [`field${f}`, '0123456789abcdef'])),
	}),
	'coder-sessions/run': 'run_0123456789abcdef01',
});

async function listAll() {
	const sessions = [];
	for (let offset = 0; ; offset += 100) {
		const page = await client.listSessions({ includeArchived: true, limit: 100, offset });
		calls.list += 1;
		sessions.push(...page.sessions);
		if (page.sessions.length < 100) return sessions;
	}
}

if (mode === 'creates') {
	await listAll();
	await Promise.all(
		Array.from({ length: Number(count) }, (_, i) =>
			limit(async () => {
				calls.create += 1;
				await client.createSession({
					task: `Benchmark task number ${i}`,
					label: `Session ${i}`,
					tags: ['bench'],
					metadata: markers(i),
				});
			})
		)
	);
} else {
	const ids = (await listAll()).map((session) => session.sessionId);
	await Promise.all(ids.map((id) => limit(() => (calls.get++, client.getSession(id)))));
	await Promise.all(
		ids.map((id, i) =>
			limit(async () => {
				calls.get += 1;
				await client.getSession(id);
				calls.update += 1;
				await client.updateSession(id, { label: `Renamed session ${i}`, metadata: markers(i) });
			})
		)
	);
}
process.stdout.write(JSON.stringify(calls));
