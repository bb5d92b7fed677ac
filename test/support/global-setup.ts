import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Some tests run the real CLI binary and the library from dist/, so build them from the current
 * sources, unless every source already has a newer build (a compile costs a minute on a busy
 * 2-core machine).
 * tsc emits even when a type error is found; `npm run typecheck` is what reports those.
 */
export default function setup(): void {
	if (buildIsCurrent()) return;
	spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: projectRoot, stdio: 'inherit' });
}

function buildIsCurrent(): boolean {
	const src = join(projectRoot, 'src');
	const config = statSync(join(projectRoot, 'tsconfig.json')).mtimeMs;
	for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
		if (!file.endsWith('.ts')) continue;
		const output = join(projectRoot, 'dist', file.replace(/\.ts$/, '.js'));
		if (!existsSync(output)) return false;
		const built = statSync(output).mtimeMs;
		if (built < config || built < statSync(join(src, file)).mtimeMs) return false;
	}
	return true;
}
