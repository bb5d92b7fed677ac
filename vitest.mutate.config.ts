import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests `npm run mutate` runs (stryker.config.mjs): all of them but the ones that only run
 * the built CLI in child processes, where a mutant planted in this process is never active, so
 * they can kill none and only lengthen every run.
 */
export default mergeConfig(
	base,
	defineConfig({
		test: {
			exclude: ['test/integration/concurrent-apply.test.ts', '**/node_modules/**'],
		},
	})
);
