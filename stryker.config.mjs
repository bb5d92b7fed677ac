// @ts-check
/**
 * Mutation testing (`npm run mutate`): StrykerJS plants small bugs in the modules that guard
 * users' sessions and secrets, one at a time, and runs the tests that reach each one; a mutant
 * no test kills is a promise no test holds. Not part of CI: a full run takes hours on 2 cores.
 * One module, with the tests that guard it: `npx stryker run --mutate src/plan/safety.ts
 * --testFiles test/plan/safety.test.ts,test/integration/safety-rails.test.ts`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
	packageManager: 'npm',
	testRunner: 'vitest',
	vitest: {
		configFile: 'vitest.mutate.config.ts',
		// Only the test files that import a mutated module (directly or not) run at all...
		related: true,
	},
	// ...and, of those, each mutant runs only the tests whose coverage reached it.
	coverageAnalysis: 'perTest',
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.json',
	typescriptChecker: { prioritizePerformanceOverAccuracy: true },
	mutate: [
		// Safety rails and protect
		'src/plan/safety.ts',
		'src/plan/removed.ts',
		// Ownership: markers, stamps, key groups
		'src/ownership/*.ts',
		// The plan fingerprint and staleness
		'src/plan/fingerprint.ts',
		'src/plan/staleness.ts',
		'src/plan/live-ref.ts',
		// The saved-plan binding
		'src/plan/saved.ts',
		'src/operations/saved-plan-file.ts',
		// Apply without duplicates
		'src/apply/executor.ts',
		'src/apply/guard.ts',
		'src/apply/duplicates.ts',
		'src/apply/other-writers.ts',
		// Discovery's verification
		'src/hub/discovery/witness.ts',
		'src/hub/discovery/search-read.ts',
		// The breaker
		'src/hub/breaker.ts',
		// The redactor and env digests
		'src/core/secrets/*.ts',
		'src/plan/env/*.ts',
		// Export
		'src/spec/export/*.ts',
	],
	ignorePatterns: ['dist', 'reports', '.coder-sessions', 'bench'],
	// The machine is shared: one test runner unless told (`--concurrency N`).
	concurrency: 1,
	// The first run, over every related test with per-test coverage, is the suite run serially.
	dryRunTimeoutMinutes: 180,
	// Integration tests start a local Hub and run command lines: generous, as vitest.config.ts is.
	timeoutMS: 120_000,
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/index.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	// A later run re-tests only mutants whose code or tests changed.
	incremental: true,
	incrementalFile: 'reports/stryker-incremental.json',
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
