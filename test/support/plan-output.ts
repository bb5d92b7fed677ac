/** What the integration tests read from a CLI run: its exit, and the plan JSON it printed. */
import { expect } from 'vitest';
import type { PlanJsonV1 } from '../../src/render/json.js';
import type { CliResult } from './cli.js';

/** A user-facing outcome: the exit code, no stack frames, no "Internal error". */
export function expectExit(result: CliResult, code: number): void {
	expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(code);
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
	expect(result.stderr).not.toContain('Internal error');
}

/** The plan JSON of a run that printed nothing on stderr. */
export function planJson(result: CliResult): PlanJsonV1 {
	expect(result.stderr).toBe('');
	return JSON.parse(result.stdout) as PlanJsonV1;
}

/** A plan apply would refuse: printed in full, then exit 3 with the reasons on stderr. */
export function refusedPlanJson(result: CliResult): PlanJsonV1 {
	expect(result.code).toBe(3);
	expect(result.stderr).toContain('Apply would refuse this plan');
	return JSON.parse(result.stdout) as PlanJsonV1;
}
