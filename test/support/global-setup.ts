import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const bundleMeta = join(projectRoot, 'dist', 'bin', 'meta.json');
/** The scripts that make the binary: a change to them makes it anew too. */
const BUNDLER = ['scripts/bundle-cli.mjs', 'scripts/train-code-cache.mjs'];
const modifiedAt = (file: string) => statSync(join(projectRoot, file)).mtimeMs;

/**
 * Some tests run the real CLI binary and the library from dist/, so build them from the current
 * sources (`npm run build`: tsc, then the binary's bundle), unless every source already has a
 * newer build (a compile costs a minute on a busy 2-core machine).
 * tsc emits even when a type error is found; `npm run typecheck` is what reports those.
 */
export default function setup(): void {
	const newestCompiled = compiledIsCurrent();
	if (newestCompiled === undefined) {
		spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: projectRoot, stdio: 'inherit' });
	}
	if (
		newestCompiled === undefined ||
		!existsSync(bundleMeta) ||
		statSync(bundleMeta).mtimeMs < Math.max(newestCompiled, ...BUNDLER.map(modifiedAt))
	) {
		spawnSync(process.execPath, ['scripts/bundle-cli.mjs'], { cwd: projectRoot, stdio: 'inherit' });
	}
}

/** The time of the newest compiled module when every source has a newer build; else undefined. */
function compiledIsCurrent(): number | undefined {
	const src = join(projectRoot, 'src');
	const config = statSync(join(projectRoot, 'tsconfig.json')).mtimeMs;
	let newest = 0;
	for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
		if (!file.endsWith('.ts')) continue;
		const output = join(projectRoot, 'dist', file.replace(/\.ts$/, '.js'));
		if (!existsSync(output)) return undefined;
		const built = statSync(output).mtimeMs;
		if (built < config || built < statSync(join(src, file)).mtimeMs) return undefined;
		newest = Math.max(newest, built);
	}
	return newest;
}
