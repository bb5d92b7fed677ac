import { defineConfig } from 'vitest/config';

/**
 * Integration tests spawn the CLI (node plus the SDK: seconds per spawn on a busy 2-core
 * machine), so their limits are generous: a test fails because behaviour is wrong, never
 * because the machine is slow. Hangs are still caught, each CLI run having its own bound.
 */
export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		reporters: ['default', './test/support/summary-reporter.ts'],
		testTimeout: 120_000,
		hookTimeout: 60_000,
		// Tests of a `describe.concurrent` block each spawn CLIs; more of them at once only
		// queue for the same two cores.
		maxConcurrency: 3,
		// Integration tests run the built CLI; it is built once before the run.
		globalSetup: ['test/support/global-setup.ts'],
	},
});
