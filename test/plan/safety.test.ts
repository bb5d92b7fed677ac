import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import { blockingHazards } from '../../src/plan/safety.js';
import { desired, liveFor, spec } from '../support/session-builders.js';
import type { LiveSession } from '../../src/kinds/session/live.js';

async function stack(count: number, protect: string[] = []): Promise<LiveSession[]> {
	return Promise.all(
		Array.from({ length: count }, (_, i) =>
			liveFor(desired(`s${i}`, { protect: protect.includes(`s${i}`) }))
		)
	);
}
const keep = (count: number, from = 0) =>
	Array.from({ length: count }, (_, i) => desired(`s${i + from}`));

describe('safety rails', () => {
	it('flags removals over 25% of at least 8 managed sessions', async () => {
		const live = await stack(8);
		// 2 of 8 is exactly 25%: allowed.
		expect(planSessions(spec(keep(6)), live).hazards).toEqual([]);
		// 3 of 8 is over.
		const plan = planSessions(spec(keep(5)), live);
		expect(plan.hazards).toEqual([
			{
				kind: 'bulk-removal',
				removals: 3,
				managed: 8,
				thresholdPct: 25,
				byKind: { archive: 3, delete: 0, replace: 0 },
			},
		]);
	});

	it('does not count percentages below 8 managed sessions', async () => {
		expect(planSessions(spec(keep(1)), await stack(7)).hazards).toEqual([]);
	});

	it('flags a spec with no sessions against a non-empty stack', async () => {
		const plan = planSessions(spec([]), await stack(2));
		expect(plan.hazards).toEqual([{ kind: 'empty-spec', managed: 2 }]);
	});

	it('flags protected sessions that would be removed or replaced', async () => {
		const live = await stack(3, ['s0', 's1']);
		const plan = planSessions(
			spec([desired('s1', { task: 'changed', protect: true }), desired('s2')]),
			live
		);
		expect(plan.hazards).toEqual([{ kind: 'protected', keys: ['s1', 's0'] }]);
	});

	it('lifts removal rails only with the exact count, and never protection', async () => {
		const plan = planSessions(spec(keep(5)), await stack(8));
		expect(blockingHazards(plan.hazards, plan.removals)).toHaveLength(1);
		expect(blockingHazards(plan.hazards, plan.removals, 2)).toHaveLength(1);
		expect(blockingHazards(plan.hazards, plan.removals, 3)).toEqual([]);
		const guarded = planSessions(spec([]), await stack(1, ['s0']));
		expect(blockingHazards(guarded.hazards, guarded.removals, 1)).toEqual([
			{ kind: 'protected', keys: ['s0'] },
		]);
	});
});

describe('what counts as a removal', () => {
	it('weighs active sessions only: deleting archived history is not a bulk removal', async () => {
		const live = await stack(8);
		const history = await Promise.all(
			[1, 2, 3].map((n) =>
				liveFor(desired('s7'), {
					fields: {
						archived: true,
						status: 'archived',
						bucket: 'history',
						createdAt: `2025-0${n}-01T00:00:00Z`,
					},
				})
			)
		);
		const plan = planSessions(spec(keep(7), { prune: 'delete' }), [...live, ...history]);
		expect(plan.actions.filter((a) => a.kind === 'delete')).toHaveLength(4);
		expect(plan.removals).toBe(1);
		expect(plan.hazards).toEqual([]);
	});
});
