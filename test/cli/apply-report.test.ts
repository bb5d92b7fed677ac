import { describe, expect, it } from 'vitest';
import type { ApplyResult, Outcome, OutcomeStatus } from '../../src/apply/events.js';
import { applySucceeded, hubUnavailableLine, summaryLines } from '../../src/cli/apply-report.js';
import { noop } from '../support/plan-builders.js';

function outcomes(counts: Partial<Record<OutcomeStatus, number>>): Outcome[] {
	return Object.entries(counts).flatMap(([status, count]) =>
		Array.from({ length: count }, (_, i) => ({
			action: noop(`${status}-${i}`),
			status: status as OutcomeStatus,
		}))
	);
}

function result(overrides: Partial<ApplyResult>): ApplyResult {
	return { outcomes: [], duplicatesArchived: [], notConverged: [], ...overrides };
}

const STOPPED = 'the Hub at http://127.0.0.1:4100 stopped answering (connection refused)';

describe('the report of an apply the Hub stopped answering', () => {
	it('says in one line which Hub, why, and what is unknown', () => {
		const stopped = result({
			outcomes: outcomes({ applied: 17, unknown: 3, 'not-attempted': 40 }),
			hubUnavailable: STOPPED,
		});
		expect(hubUnavailableLine(stopped)).toBe(
			'The Hub at http://127.0.0.1:4100 stopped answering (connection refused): 3 actions may or may not have happened, 40 not attempted; run apply again once it is back.'
		);
		expect(summaryLines(stopped)).toEqual([
			'Apply finished: 17 applied, 0 failed, 0 skipped, 3 unknown, 40 not attempted.',
		]);
		expect(applySucceeded(stopped)).toBe(false);
	});

	it('says the read-back did not happen when every action had finished', () => {
		const stopped = result({ outcomes: outcomes({ applied: 60 }), hubUnavailable: STOPPED });
		expect(hubUnavailableLine(stopped)).toBe(
			'The Hub at http://127.0.0.1:4100 stopped answering (connection refused): nothing was read back to check the actions; run apply again once it is back.'
		);
		expect(applySucceeded(stopped)).toBe(false);
	});

	it('adds nothing to a run the Hub saw through', () => {
		const done = result({ outcomes: outcomes({ applied: 2, skipped: 1 }) });
		expect(hubUnavailableLine(done)).toBeUndefined();
		expect(summaryLines(done)).toEqual([
			'Apply finished: 2 applied, 0 failed, 1 skipped, 0 unknown.',
		]);
		expect(applySucceeded(done)).toBe(true);
	});
});
