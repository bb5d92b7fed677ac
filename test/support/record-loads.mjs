// `node --import ./test/support/record-loads.mjs`: appends the URL of every module the process
// loads, one a line, to the file named by RECORD_LOADS_TO. Loaded with --import it registers
// itself as module hooks; on the hooks thread it is those hooks.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url, { data: { file: process.env.RECORD_LOADS_TO } });

let file;

export function initialize(data) {
	file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
	const resolved = await nextResolve(specifier, context);
	if (file) appendFileSync(file, `${resolved.url}\n`);
	return resolved;
}
