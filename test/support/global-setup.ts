import { spawnSync } from 'node:child_process';

/**
 * Integration tests run the real CLI binary, so build it once from the current sources.
 * tsc emits even when a type error is found; `npm run typecheck` is what reports those.
 */
export default function setup(): void {
	spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
