/**
 * The binary runs the bundled CLI from V8's code cache (src/cli/code-cache.ts): only the cache of
 * the very bytes it runs, and any other cache costs nothing but the compile.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runNode } from '../support/cli.js';

const codeCache = join(projectRoot, 'dist/cli/code-cache.js');

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'coder-sessions-code-cache-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

let bundles = 0;

/** A bundle that says `word` when it runs (and its `__filename`, so it runs as CommonJS). */
async function bundleSaying(word: string): Promise<string> {
	bundles += 1;
	const file = join(dir, `bundle-${bundles}.cjs`);
	await writeFile(file, bundleText(word));
	return file;
}

const bundleText = (word: string) =>
	`process.stdout.write(${JSON.stringify(word)} + ':' + require('node:path').basename(__filename));\n`;

/**
 * Runs `file` in a process of its own (V8 keeps what a process compiled, which would hide the
 * cache), writing its cache afterwards when `write`: what it said, and what became of the cache.
 */
async function run(file: string, write = false) {
	const probe = [
		`import { codeCacheFile, runBundle, writeCodeCache } from ${JSON.stringify(codeCache)};`,
		`const loaded = runBundle(${JSON.stringify(file)});`,
		'process.stderr.write(loaded.cache);',
		write ? `writeCodeCache(loaded, codeCacheFile(${JSON.stringify(file)}));` : '',
	].join('\n');
	const result = await runNode(['--input-type=module', '-e', probe]);
	expect(result.code, result.stderr).toBe(0);
	return { cache: result.stderr, said: result.stdout };
}

describe('the code cache of the bundled CLI', () => {
	it('is used for the bundle it was written from', async () => {
		const file = await bundleSaying('first');
		expect(await run(file, true)).toEqual({ cache: 'absent', said: `first:${basename(file)}` });
		expect(await run(file)).toEqual({ cache: 'used', said: `first:${basename(file)}` });
	});

	it('is not used once the bundle changed, even to text of the same length', async () => {
		const file = await bundleSaying('older');
		await run(file, true);
		await writeFile(file, bundleText('newer'));
		// V8 itself checks a cache against the source's length only: it would run the older code.
		expect(await run(file)).toEqual({ cache: 'stale', said: `newer:${basename(file)}` });
	});

	it('that V8 refuses (another Node, other flags) leaves the bundle compiled from its text', async () => {
		const file = await bundleSaying('plain');
		await run(file, true);
		const written = await readFile(`${file}.cache`);
		// The digest of the bundle, then data V8 does not recognise.
		await writeFile(`${file}.cache`, Buffer.concat([written.subarray(0, 32), Buffer.alloc(64, 7)]));
		expect(await run(file)).toEqual({ cache: 'refused', said: `plain:${basename(file)}` });
	});

	it.each(['coder-sessions.js', 'cli.cjs'])(
		'dist/bin/%s runs in strict mode, as the ES modules it is built from',
		async (name) => {
			const text = await readFile(join(projectRoot, 'dist/bin', name), 'utf8');
			// A script is strict only when its first statement says so (a hashbang line is no statement).
			expect(text.replace(/^#!.*\n/, '')).toMatch(/^"use strict";/);
		}
	);

	it("the build writes beside the binary is the built bundle's, and this Node takes it", async () => {
		const bundle = join(projectRoot, 'dist/bin/cli.cjs');
		const probe = [
			`import { runBundle } from ${JSON.stringify(codeCache)};`,
			"process.argv = [process.argv[0], 'coder-sessions', 'completion', 'bash'];",
			`process.stderr.write(runBundle(${JSON.stringify(bundle)}).cache);`,
		].join('\n');
		const result = await runNode(['--input-type=module', '-e', probe]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain('complete -o default -F _coder_sessions coder-sessions');
		expect(result.stderr).toBe('used');
	});
});
