/**
 * Runs the bundled CLI (one CommonJS script) the way Node's require would, but compiled with the
 * V8 code cache the build wrote beside it. Node 20 keeps no compiled code between runs of a
 * program (`module.enableCompileCache` arrived in Node 22), and compiling is much of a short
 * command's time; with the cache, V8 reads back the bytecode of every function a training run
 * compiled.
 *
 * V8 checks a cache against its own version and flags and the source's length only, so the cache
 * names the SHA-256 of the source it was made from: a bundle edited after the build, even to the
 * same length, is compiled from its text, never run from stale bytecode. A cache V8 refuses (another
 * Node, other flags) costs nothing but the compile it would have saved.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** What became of the cache at a load. */
export type CodeCacheUse = 'used' | 'absent' | 'stale' | 'refused';

export interface LoadedBundle {
	readonly script: Script;
	readonly digest: Buffer;
	readonly cache: CodeCacheUse;
}

const DIGEST_BYTES = 32;

/** The cache file of a bundle. */
export const codeCacheFile = (bundle: string): string => `${bundle}.cache`;

/** Compiles `bundle` (with its cache when one matches it) and runs it as a CommonJS module. */
export function runBundle(bundle: string, cacheFile = codeCacheFile(bundle)): LoadedBundle {
	const source = readFileSync(bundle);
	const digest = createHash('sha256').update(source).digest();
	const { cachedData, cache } = readCache(cacheFile, digest);
	const script = new Script(wrap(source.toString('utf8')), { filename: bundle, cachedData });
	const module = { exports: {} };
	const run = script.runInThisContext() as (...args: unknown[]) => void;
	run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
	return {
		script,
		digest,
		cache: cache === 'used' && script.cachedDataRejected ? 'refused' : cache,
	};
}

/** Writes the code V8 has compiled so far for a loaded bundle: its digest, then V8's data. */
export function writeCodeCache(loaded: LoadedBundle, cacheFile: string): void {
	writeFileSync(cacheFile, Buffer.concat([loaded.digest, loaded.script.createCachedData()]));
}

function readCache(
	cacheFile: string,
	digest: Buffer
): { cachedData: Buffer | undefined; cache: CodeCacheUse } {
	let data: Buffer;
	try {
		data = readFileSync(cacheFile);
	} catch {
		return { cachedData: undefined, cache: 'absent' };
	}
	if (!data.subarray(0, DIGEST_BYTES).equals(digest))
		return { cachedData: undefined, cache: 'stale' };
	return { cachedData: data.subarray(DIGEST_BYTES), cache: 'used' };
}

/** Node's own CommonJS wrapper (`require('node:module').wrap`). */
function wrap(source: string): string {
	return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}
