/**
 * The safety rails as data, case by case: a take-over by replace is a foreign owner, nothing to
 * remove is no destroy or empty-spec hazard, only the removal count's own hazards are lifted by
 * it, and never a foreign owner.
 */
import { describe, expect, it } from 'vitest';
import {
	assessHazards,
	blockingHazards,
	isLiftable,
	protectedRemovals,
} from '../../src/plan/safety.js';
import type { Action, Hazard } from '../../src/plan/types.js';
import { liveRef } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

const NO_REMOVALS = { archive: 0, delete: 0, replace: 0 };

const replaceOf = (key: string, foreignStack?: string): Action => ({
	kind: 'replace',
	key,
	reason: 'task is fixed at creation',
	live: liveRef({ id: `ses_${key}` }),
	desired: desired(key),
	changes: [],
	forcedBy: ['task'],
	...(foreignStack ? { foreignStack } : {}),
});

describe('assessHazards', () => {
	it('a replace of a session another stack owns is a foreign owner, unless taken over', () => {
		const actions = [replaceOf('shared', 'other-team')];
		const removals = { ...NO_REMOVALS, replace: 1 };
		expect(assessHazards({ actions, removals, managed: 1, declared: 1 })).toContainEqual({
			kind: 'foreign-owner',
			sessions: [{ key: 'shared', sessionId: 'ses_shared', stack: 'other-team' }],
		});
		expect(assessHazards({ actions, removals, managed: 1, declared: 1, takeOver: true })).toEqual(
			[]
		);
		expect(
			assessHazards({ actions: [replaceOf('own')], removals, managed: 1, declared: 1 })
		).toEqual([]);
	});

	it('--destroy with nothing to remove is no hazard; with removals it is one', () => {
		const input = { actions: [], managed: 3, declared: 3, destroy: true };
		expect(assessHazards({ ...input, removals: NO_REMOVALS })).toEqual([]);
		expect(assessHazards({ ...input, removals: { ...NO_REMOVALS, archive: 1 } })).toEqual([
			{ kind: 'destroy', removals: 1 },
		]);
	});

	it('an empty spec that removes nothing (prune: keep) is no hazard', () => {
		expect(assessHazards({ actions: [], removals: NO_REMOVALS, managed: 4, declared: 0 })).toEqual(
			[]
		);
		expect(
			assessHazards({
				actions: [],
				removals: { ...NO_REMOVALS, archive: 4 },
				managed: 4,
				declared: 0,
			})
		).toEqual([{ kind: 'empty-spec', managed: 4 }]);
	});
});

describe('what the removal count lifts', () => {
	const protectedHazard: Hazard = { kind: 'protected', keys: ['a'] };
	const foreign: Hazard = {
		kind: 'foreign-owner',
		sessions: [{ key: 'a', sessionId: 'ses_a', stack: 'other' }],
	};
	const liftable: Hazard[] = [
		{ kind: 'bulk-removal', removals: 3, managed: 8, thresholdPct: 25, byKind: NO_REMOVALS },
		{ kind: 'empty-spec', managed: 2 },
		{ kind: 'destroy', removals: 2 },
	];

	it('lifts a bulk removal, an emptied spec and a destroy, never protection or a foreign owner', () => {
		expect(liftable.map(isLiftable)).toEqual([true, true, true]);
		expect([protectedHazard, foreign].map(isLiftable)).toEqual([false, false]);
	});

	it('the exact count leaves protection and a foreign owner blocking', () => {
		expect(blockingHazards([foreign], 0, 0)).toEqual([foreign]);
		expect(blockingHazards([protectedHazard], 1, 1)).toEqual([protectedHazard]);
		expect(blockingHazards(liftable, 2, 2)).toEqual([]);
		expect(blockingHazards(liftable, 2, 1)).toEqual(liftable);
	});
});

describe('protectedRemovals', () => {
	it('a plain replace of an unprotected session into an unprotected entry is none', () => {
		expect(protectedRemovals([replaceOf('open')])).toEqual([]);
	});
});
