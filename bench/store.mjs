// Is the durable store what limits creates? 1,000 creates at parallelism 8 against an in-memory
// Hub and against one journalling every write to disk before it answers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { CoderClient } from '@agentuity/core/coder';
import { fmtMs, ratio, withHub } from './lib.mjs';

const CREATES = 1000;
const PARALLELISM = 8;

async function createMany(url) {
	const client = new CoderClient({ url, apiKey: 'bench' });
	const limit = pLimit(PARALLELISM);
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CREATES }, (_, i) =>
			limit(() => client.createSession({ task: `store bench ${i}`, metadata: { n: String(i) } }))
		)
	);
	return performance.now() - started;
}

export async function benchStore(dir) {
	mkdirSync(dir, { recursive: true });
	const memory = await withHub({}, (hub) => createMany(hub.url));
	const durable = await withHub({ stateFile: join(dir, 'hub.json') }, (hub) => createMany(hub.url));
	const reopened = performance.now();
	const readBack = await withHub({ stateFile: join(dir, 'hub.json') }, async (hub) => {
		const opened = performance.now() - reopened;
		const client = new CoderClient({ url: hub.url, apiKey: 'bench' });
		const started = performance.now();
		const page = await client.listSessions({ limit: 100, offset: 900 });
		return { opened, list: performance.now() - started, count: page.sessions.length };
	});
	console.log(
		`Local Hub store: ${CREATES} creates at parallelism ${PARALLELISM}, no injected latency`
	);
	console.log(`  in memory            ${fmtMs(memory)}`);
	console.log(`  journalled to disk   ${fmtMs(durable)}  (${ratio(durable, memory)} of in memory)`);
	console.log(
		`  restart over it      ${fmtMs(readBack.opened)}; a list page at offset 900: ${fmtMs(readBack.list)}\n`
	);
}
