/**
 * A session apply created that reads back as one the Hub spawned (a Hub giving what createSession
 * makes a kind of its own) is no session of the stack: the next plan would create it again. Apply
 * says so, as not converged (exit 5).
 */
import { describe, expect, it } from 'vitest';
import type { ReadBack } from '../../src/apply/read-back.js';
import { verifyOutcomes } from '../../src/apply/verify.js';
import { desired, live } from '../support/session-builders.js';

describe('verifyOutcomes', () => {
	it('names a created session that reads back as spawned by the Hub', () => {
		const session = live({ spawned: { sessionKind: 'orchestrated' } });
		const back: ReadBack = {
			sessions: new Map([[session.id, session]]),
			unreadable: new Map(),
			appeared: [],
		};
		const problems = verifyOutcomes(
			[
				{
					action: { kind: 'create', key: 'a', desired: desired('a'), reason: 'not on the Hub' },
					status: 'applied',
					sessionId: session.id,
				},
			],
			back,
			'docs-team'
		);
		expect(problems).toEqual([
			{
				key: 'a',
				sessionId: session.id,
				problem:
					'reads back as a session the Hub spawned (of sessionKind "orchestrated"), which no stack manages',
			},
		]);
	});
});
