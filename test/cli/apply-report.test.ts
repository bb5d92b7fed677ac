import { describe, expect, it } from 'vitest';
import type { ApplyResult, Outcome, OutcomeStatus } from '../../src/apply/events.js';
import { hubUnavailableLine, summaryLines } from '../../src/render/apply-report.js';
import { applySucceeded } from '../../src/operations/apply.js';
import { toApplyJson } from '../../src/render/apply-json.js';
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
	return {
		outcomes: [],
		duplicatesArchived: [],
		notConverged: [],
		otherWrites: [],
		runId: 'run_test',
		...overrides,
	};
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
		expect(summaryLines(stopped, 'docs-team')).toEqual([
			'Apply finished: 17 applied, 0 failed, 0 skipped, 3 unknown, 40 not attempted.',
		]);
		expect(applySucceeded(stopped)).toBe(false);
		const json = toApplyJson({
			stack: 'docs-team',
			status: 'applied',
			exitCode: 5,
			actions: [],
			result: stopped,
		});
		expect(json.hubUnavailable).toBe(STOPPED);
		expect(json).not.toHaveProperty('hubAnswerRefused');
	});

	it('says the read-back did not happen when every action had finished', () => {
		const stopped = result({ outcomes: outcomes({ applied: 60 }), hubUnavailable: STOPPED });
		expect(hubUnavailableLine(stopped)).toBe(
			'The Hub at http://127.0.0.1:4100 stopped answering (connection refused): nothing was read back to check the actions; run apply again once it is back.'
		);
		expect(applySucceeded(stopped)).toBe(false);
	});

	it('for an answer refused on the way, says to fix the way to the Hub, not to wait', () => {
		const page = result({
			outcomes: outcomes({ applied: 2, unknown: 1, 'not-attempted': 4 }),
			hubUnavailable:
				"the Hub at http://127.0.0.1:4100 answered POST /api/hub/session with an HTML page (HTTP 200), not the Hub's API: is a proxy or a sign-in page in the way?",
			hubAnswerRefused: true,
		});
		expect(hubUnavailableLine(page)).toBe(
			"The Hub at http://127.0.0.1:4100 answered POST /api/hub/session with an HTML page (HTTP 200), not the Hub's API: is a proxy or a sign-in page in the way? 1 action may or may not have happened, 4 not attempted; fix or bypass the proxy in the way, or name the Hub's own URL with --url or AGENTUITY_CODER_URL, then run apply again."
		);
		const large = result({
			outcomes: outcomes({ applied: 3 }),
			hubUnavailable:
				'the Hub at http://127.0.0.1:4100 sent more than 32 MiB in answer to GET /api/hub/sessions (the most one answer may hold)',
			hubAnswerRefused: true,
		});
		expect(hubUnavailableLine(large)).toBe(
			"The Hub at http://127.0.0.1:4100 sent more than 32 MiB in answer to GET /api/hub/sessions (the most one answer may hold). Nothing was read back to check the actions; fix or bypass the proxy in the way, or name the Hub's own URL with --url or AGENTUITY_CODER_URL, then run apply again."
		);
		expect(applySucceeded(page)).toBe(false);
		const json = toApplyJson({
			stack: 'docs-team',
			status: 'applied',
			exitCode: 5,
			actions: [],
			result: page,
		});
		expect(json).toMatchObject({ hubUnavailable: page.hubUnavailable, hubAnswerRefused: true });
	});

	it('adds nothing to a run the Hub saw through', () => {
		const done = result({ outcomes: outcomes({ applied: 2, skipped: 1 }) });
		expect(hubUnavailableLine(done)).toBeUndefined();
		expect(summaryLines(done, 'docs-team')).toEqual([
			'Apply finished: 2 applied, 0 failed, 1 skipped, 0 unknown.',
		]);
		expect(applySucceeded(done)).toBe(true);
	});
});

describe('the report of an apply another apply overlapped', () => {
	it('says so, names what the other run did, and fails the run', () => {
		const overlapped = result({
			outcomes: outcomes({ applied: 2 }),
			otherWrites: [
				{ key: 'a', sessionId: 'codesess_1', change: 'created' },
				{ key: 'b', sessionId: 'codesess_2', change: 'archived' },
			],
		});
		expect(summaryLines(overlapped, 'docs-team')).toEqual([
			'Apply finished: 2 applied, 0 failed, 0 skipped, 0 unknown.',
			'Another apply changed stack docs-team while this one ran: plan again.',
			'  created a (codesess_1)',
			'  archived b (codesess_2)',
		]);
		expect(applySucceeded(overlapped)).toBe(false);
	});
});
