import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import { detectDrift, driftOfPlan } from '../../src/plan/drift-report.js';
import { buildStatusRows } from '../../src/plan/status-rows.js';
import { savedPlanBody } from '../../src/plan/env/saved.js';
import { viewPlan } from '../../src/plan/view-plan.js';
import { isActive } from '../../src/plan/types.js';
import { preconditionOf } from '../../src/plan/live-ref.js';
import { desired, liveFor, spec } from '../support/session-builders.js';

const a = desired('a', { label: 'A', tags: ['x'] });
const b = desired('b', { label: 'B' });

describe("the plan's prior state", () => {
	it('carries a change made outside, with the applied value and the live one', async () => {
		const handEdited = await liveFor(a, { fields: { label: 'Renamed by hand' } });
		const plan = planSessions(spec([a, b]), [handEdited, await liveFor(b)]);
		expect(plan.prior).toEqual([
			{
				key: 'a',
				id: handEdited.id,
				label: 'Renamed by hand',
				archived: false,
				stamp: 'applied',
				outside: [{ field: 'label', live: 'Renamed by hand', applied: 'A' }],
				pending: [],
			},
			expect.objectContaining({ key: 'b', outside: [], pending: [] }),
		]);
		// The same comparison gave the plan its change back to the spec.
		expect(plan.actions[0]).toMatchObject({
			kind: 'update',
			key: 'a',
			changes: [{ field: 'label', before: 'Renamed by hand', after: 'A' }],
		});
	});

	it("is what drift reports: drift's report is the one derived from the plan", async () => {
		const entries = spec([a, { ...b, label: 'B2' }, desired('c')]);
		const live = [await liveFor(a, { fields: { tags: ['x', 'y'] } }), await liveFor(b)];
		const plan = viewPlan(entries, live);
		const report = driftOfPlan(entries, plan);
		expect(detectDrift(entries, live)).toEqual(report);
		const session = report.sessions.find((s) => s.key === 'a');
		// Not a second comparison: the report holds the plan's own list.
		expect(session?.outside).toBe(plan.prior.filter(isActive)[0]?.outside);
		expect(report.counts).toMatchObject({ outside: 1, pending: 2 });
	});

	it("is what status shows: a row's changed fields are the plan's changes to that session", async () => {
		const entries = spec([a]);
		const session = await liveFor(a, { fields: { label: 'Renamed', tags: [] } });
		const plan = viewPlan(entries, [session]);
		const planned = plan.actions.find((action) => action.kind === 'update');
		const { rows } = buildStatusRows(entries, [session], plan);
		expect(rows[0]?.changedFields).toEqual(
			planned && 'changes' in planned ? planned.changes.map((c) => c.field) : []
		);
		expect(rows[0]?.changedFields).toEqual(['label', 'tags']);
		// A plan that says the session matches makes its row in sync.
		const matching = { ...plan, actions: [{ kind: 'noop' as const, key: 'a', reason: '' }] };
		expect(buildStatusRows(entries, [session], matching).rows[0]?.sync).toBe('in-sync');
	});

	it('keeps archived sessions as history only, and only the keys in scope', async () => {
		const archived = await liveFor(b, { fields: { archived: true, label: 'Renamed' } });
		const plan = planSessions(spec([a, b]), [await liveFor(a), archived], { only: ['b'] });
		expect(plan.prior).toEqual([{ key: 'b', id: archived.id, label: 'Renamed', archived: true }]);
	});

	it('plans an adopt: that cannot be adopted as a create for drift and status, where plan refuses it', async () => {
		const adopting = desired('n', { adopt: 'codesess_unknown' });
		expect(() => planSessions(spec([adopting]), [])).toThrow(/adopt:/);
		expect(viewPlan(spec([adopting]), []).actions).toMatchObject([{ kind: 'create', key: 'n' }]);
		expect(detectDrift(spec([adopting]), []).sessions).toMatchObject([
			{ key: 'n', pendingAction: 'adopt' },
		]);
	});

	it('is left out of a saved plan, whose format is unchanged', async () => {
		const plan = planSessions(spec([a]), [await liveFor(a, { fields: { label: 'Renamed' } })]);
		const saved = savedPlanBody(spec([a]), plan, {});
		expect(saved.plan).not.toHaveProperty('prior');
		expect(saved.plan.actions).toEqual(plan.actions);
	});
	it('carries an env key the entry declares since its session was created', async () => {
		const session = await liveFor(b);
		const plan = planSessions(spec([{ ...b, env: { REGION: 'eu' } }]), [session]);
		expect(plan.prior[0]).toMatchObject({
			pending: [{ field: 'env', envKeys: [{ key: 'REGION', change: 'added' }], replace: true }],
		});
	});

	it("gives an unchanged session's action the precondition of the session as read", async () => {
		const session = await liveFor(a);
		const [noop] = planSessions(spec([a]), [session]).actions;
		expect(noop).toMatchObject({ kind: 'noop', live: { precondition: preconditionOf(session) } });
		// A saved plan and the JSON view write it.
		expect(JSON.parse(JSON.stringify(noop))).toMatchObject({
			live: { precondition: preconditionOf(session) },
		});
		const edited = await liveFor(a, { fields: { label: 'Renamed by hand' } });
		expect(preconditionOf(edited)).not.toBe(preconditionOf(session));
	});
	it('carries a hand change of a field the entry no longer declares, and plans no change to it', async () => {
		const shared = desired('v', { visibility: 'organization' });
		const session = await liveFor(shared, { fields: { visibility: 'collaborate' } });
		const { visibility: _leftOut, ...rest } = shared;
		const plan = planSessions(spec([rest]), [session]);
		expect(plan.prior[0]).toMatchObject({
			outside: [{ field: 'visibility', live: 'collaborate' }],
			pending: [],
		});
		expect(plan.actions[0]).toMatchObject({ kind: 'noop' });
		// Left out and never applied: the Hub's value is nobody's drift.
		const plain = await liveFor(rest, { fields: { visibility: 'collaborate' } });
		expect(planSessions(spec([rest]), [plain]).prior[0]).toMatchObject({ outside: [] });
	});
});
