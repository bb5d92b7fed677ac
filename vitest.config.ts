import { defineConfig } from 'vitest/config';

/**
 * Integration tests run command lines in-process against a local Hub; some spawn the built CLI
 * (node plus the SDK: seconds per spawn on a busy 2-core machine), so their limits are
 * generous: a test fails because behaviour is wrong, never because the machine is slow. Hangs
 * are still caught, each CLI run having its own bound.
 */
export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		reporters: ['default', './test/support/summary-reporter.ts'],
		// A test may run several CLIs in turn, each bounded by CLI_TIMEOUT_MS (test/support/cli.ts).
		testTimeout: 300_000,
		hookTimeout: 120_000,
		// Tests of a `describe.concurrent` block each run CLIs; more of them at once only queue
		// for the same two cores.
		maxConcurrency: 3,
		// Some tests run the built CLI and the library from dist/; it is rebuilt before a run when
		// a source changed.
		globalSetup: ['test/support/global-setup.ts'],
	},
});
