import { describe, expect, it } from 'vitest';
import { adoptInput } from '../../src/apply/inputs.js';
import { planSessions } from '../../src/plan/diff.js';
import { MARKER } from '../../src/ownership/markers.js';
import { renderJson, renderMarkdown, renderText } from '../../src/render/index.js';
import { hazardMessages, removalsText } from '../../src/render/messages.js';
import {
	assessHazards,
	blockingHazards,
	countRemovals,
	protectedRemovals,
} from '../../src/plan/safety.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { liveRef, planOf } from '../support/plan-builders.js';
import { desired, live, liveFor, spec } from '../support/session-builders.js';
import type { LiveSession } from '../../src/kinds/session/live.js';

const kindsOf = (plan: Plan) => plan.actions.map((a) => `${a.kind}:${a.key}`).sort();
const only = <K extends Action['kind']>(plan: Plan, kind: K) => {
	const found = plan.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
	expect(found).toHaveLength(1);
	return found[0]!;
};

/** Two active copies of one entry, as an interrupted apply leaves them. */
async function twins(entry = desired('precious', { protect: true })): Promise<LiveSession[]> {
	const first = await liveFor(entry, { fields: { createdAt: '2026-01-01T00:00:00.000Z' } });
	const second = await liveFor(entry, { fields: { createdAt: '2026-01-01T00:00:01.000Z' } });
	return [first, second];
}

describe('a protected key with duplicates', () => {
	it('dedupes the spare copy with no hazard: the kept session stays', async () => {
		const copies = await twins();
		const entry = desired('precious', { protect: true });
		const plan = planSessions(spec([entry, desired('other')]), [
			...copies,
			await liveFor(desired('other')),
		]);
		expect(kindsOf(plan)).toEqual(['dedupe:precious', 'noop:other', 'noop:precious']);
		expect(plan.hazards).toEqual([]);
		expect(blockingHazards(plan.hazards, plan.removals)).toEqual([]);
		const dedupe = only(plan, 'dedupe');
		const ids = copies.map((copy) => copy.id);
		expect(ids).toContain(dedupe.live.id);
		expect(ids.filter((id) => id !== dedupe.live.id)).toEqual([dedupe.keep]);
	});

	it('also plans with `protect: false`, and with --only the key', async () => {
		const copies = await twins();
		const unprotect = planSessions(spec([desired('precious')]), copies);
		expect(kindsOf(unprotect)).toEqual(['dedupe:precious', 'update:precious']);
		expect(only(unprotect, 'update').changes).toEqual([
			{ field: 'protect', before: true, after: false },
		]);
		expect(unprotect.hazards).toEqual([]);
		const scoped = planSessions(spec([desired('precious', { protect: true })]), copies, {
			only: ['precious'],
		});
		expect(scoped.hazards).toEqual([]);
	});

	it('is a protected removal when the kept session is archived, replaced or deleted too', async () => {
		const copies = await twins();
		const archived = planSessions(
			spec([desired('precious', { protect: true, state: 'archived' })]),
			copies
		);
		expect(archived.hazards).toEqual([{ kind: 'protected', keys: ['precious'] }]);
		const replaced = planSessions(
			spec([desired('precious', { protect: true, task: 'A new task' })]),
			copies
		);
		expect(replaced.hazards).toEqual([{ kind: 'protected', keys: ['precious'] }]);
		expect(planSessions(spec([desired('other')]), copies).hazards).toContainEqual({
			kind: 'protected',
			keys: ['precious'],
		});
	});

	it('weighs a dedupe by what becomes of the session it keeps', () => {
		const kept = liveRef({ id: 'ses_kept' });
		const spare = liveRef({ id: 'ses_spare', protect: true });
		const dedupe: Action = {
			kind: 'dedupe',
			key: 'k',
			live: spare,
			keep: kept.id,
			reason: 'duplicate',
		};
		const entry = desired('k');
		const fates: Record<string, Action | undefined> = {
			stays: { kind: 'noop', key: 'k', live: kept, reason: 'matches' },
			updated: {
				kind: 'update',
				key: 'k',
				live: kept,
				desired: entry,
				changes: [{ field: 'label', before: 'a', after: 'b' }],
				stamp: '{}',
				reason: 'differs',
			},
			replaced: {
				kind: 'replace',
				key: 'k',
				live: kept,
				desired: entry,
				changes: [{ field: 'task', before: 'a', after: 'b' }],
				forcedBy: ['task'],
				reason: 'task',
			},
			archived: { kind: 'archive', key: 'k', live: kept, reason: 'state: archived' },
			deleted: { kind: 'delete', key: 'k', live: kept, reason: 'prune: delete' },
		};
		const flagged = Object.entries(fates)
			.filter(([, fate]) => protectedRemovals([fate!, dedupe]).includes(dedupe))
			.map(([name]) => name);
		expect(flagged).toEqual(['replaced', 'archived', 'deleted']);

		// An unprotected spare is never a protected removal.
		const plain: Action = { ...dedupe, live: liveRef({ id: 'ses_spare' }) };
		expect(protectedRemovals([fates.archived!, plain])).toEqual([]);

		const actions = [fates.replaced!, dedupe];
		const hazards = assessHazards({
			actions,
			removals: countRemovals(actions, () => false),
			managed: 2,
			declared: 1,
		});
		expect(hazards).toEqual([{ kind: 'protected', keys: ['k'] }]);
		expect(hazardMessages(planOf(actions, { hazards }), (key) => key)).toEqual([
			'Protected session k would be archived as a duplicate; first apply its entry with `protect: false` (add the entry back if it was removed).',
		]);
	});
});

describe('adopting a protected session', () => {
	const guarded = (stack?: string) =>
		live({
			task: 'Task for a',
			metadata: {
				[MARKER.protect]: 'true',
				...(stack ? { [MARKER.stack]: stack, [MARKER.key]: 'theirs' } : {}),
			},
		});

	it('keeps it protected when the entry does not say protect', async () => {
		for (const stack of ['other-team', undefined]) {
			const session = guarded(stack);
			const plan = planSessions(spec([desired('a', { adopt: session.id })]), [session], {
				takeOver: true,
			});
			const adopt = only(plan, 'adopt');
			expect(adopt.staysProtected).toBe(true);
			expect(adopt.changes.map((change) => change.field)).not.toContain('protect');
			expect(adopt.desired.protect).toBe(true);
			expect(plan.hazards).toEqual([]);
			// The update never writes the marker false; the Hub keeps its `true`.
			const input = await adoptInput('docs-team', adopt);
			expect(input.metadata?.[MARKER.protect]).not.toBe('false');
		}
	});

	it('says nothing more when the entry is protected, or the session is not', () => {
		const session = guarded('other-team');
		const both = planSessions(
			spec([desired('a', { adopt: session.id, protect: true })]),
			[session],
			{ takeOver: true }
		);
		expect(only(both, 'adopt').staysProtected).toBeUndefined();
		const plain = live({ task: 'Task for a' });
		const neither = planSessions(spec([desired('a', { adopt: plain.id })]), [plain]);
		expect(only(neither, 'adopt').staysProtected).toBeUndefined();
		expect(only(neither, 'adopt').changes).toEqual([]);
	});

	it('unprotecting is a later plan: an ordinary update', async () => {
		const adopted = await liveFor(desired('a', { protect: true }));
		const plan = planSessions(spec([desired('a', { adopt: adopted.id })]), [adopted]);
		expect(kindsOf(plan)).toEqual(['update:a']);
		expect(only(plan, 'update').changes).toEqual([
			{ field: 'protect', before: true, after: false },
		]);
	});

	it('a replace of an adopted protected session is a protected removal', () => {
		const session = guarded('other-team');
		const plan = planSessions(
			spec([desired('a', { adopt: session.id, task: 'Another task' })]),
			[session],
			{ takeOver: true }
		);
		expect(only(plan, 'replace').key).toBe('a');
		expect(plan.hazards).toContainEqual({ kind: 'protected', keys: ['a'] });
	});

	it('says so in one line of text and markdown, and in the JSON', () => {
		const session = guarded('other-team');
		const plan = planSessions(spec([desired('a', { adopt: session.id })]), [session], {
			takeOver: true,
		});
		const view = { plan, meta: { files: ['sessions.yaml'] } };
		const line = 'stays protected: it is protected on the Hub; unprotect it in a separate change';
		expect(renderText(view, { color: false })).toContain(`      # ${line}\n`);
		expect(renderMarkdown(view)).toContain(`_${line}._`);
		const parsed = JSON.parse(renderJson(view)) as { actions: Record<string, unknown>[] };
		expect(parsed.actions[0]).toMatchObject({
			kind: 'adopt',
			staysProtected: true,
			changes: [],
			desired: { protect: true },
		});
	});
});

describe('replaces count as removals', () => {
	const stackOf = (count: number) =>
		Promise.all(Array.from({ length: count }, (_, i) => liveFor(desired(`s${i}`))));
	const entries = (count: number, fields: Parameters<typeof desired>[1] = {}) =>
		Array.from({ length: count }, (_, i) => desired(`s${i}`, fields));

	it('replacing every session of a stack of 10 is a bulk removal', async () => {
		const live = await stackOf(10);
		const plan = planSessions(spec(entries(10, { workspaceId: 'ws_2' })), live);
		expect(plan.removals).toBe(10);
		expect(plan.removalsByKind).toEqual({ archive: 0, delete: 0, replace: 10 });
		expect(plan.hazards).toEqual([
			{
				kind: 'bulk-removal',
				removals: 10,
				managed: 10,
				thresholdPct: 25,
				byKind: { archive: 0, delete: 0, replace: 10 },
			},
		]);
		expect(blockingHazards(plan.hazards, plan.removals, 0)).toHaveLength(1);
		expect(blockingHazards(plan.hazards, plan.removals, 10)).toEqual([]);
	});

	it('counts archives and replaces together, and says which', async () => {
		const live = await stackOf(10);
		const plan = planSessions(spec(entries(8, { task: 'A new task' })), live);
		expect(plan.removalsByKind).toEqual({ archive: 2, delete: 0, replace: 8 });
		expect(hazardMessages(plan, (key) => key)).toEqual([
			'This plan makes 10 removals (2 archives, 8 replaces) of 10 managed sessions, over 25%; apply refuses unless --allow-removals 10.',
		]);
		const parsed = JSON.parse(renderJson({ plan, meta: { files: [] } })) as Record<string, unknown>;
		expect(parsed.removals).toBe(10);
		expect(parsed.removalsByKind).toEqual({ archive: 2, delete: 0, replace: 8 });
	});

	it('passes up to 25%; dedupes are not removals', async () => {
		const live = await stackOf(8);
		const spare = await liveFor(desired('s7'), { fields: { createdAt: '2026-02-01T00:00:00Z' } });
		const sessions = [...entries(2, { task: 'A new task' }), ...entries(8).slice(2)];
		const plan = planSessions(spec(sessions), [...live, spare]);
		expect(plan.removalsByKind).toEqual({ archive: 0, delete: 0, replace: 2 });
		expect(kindsOf(plan).filter((kind) => kind.startsWith('dedupe'))).toEqual(['dedupe:s7']);
		expect(plan.hazards).toEqual([]);
	});

	it('counts the replace of an adopted session, weighed against the stack alone', async () => {
		const live = await stackOf(8);
		const others = await Promise.all(
			[0, 1, 2].map((i) =>
				liveFor(desired(`h${i}`), { stack: 'other-team', fields: { task: `Hand task ${i}` } })
			)
		);
		const adopting = others.map((session, i) => desired(`h${i}`, { adopt: session.id }));
		const plan = planSessions(spec([...entries(8), ...adopting]), [...live, ...others], {
			takeOver: true,
		});
		expect(plan.removalsByKind).toEqual({ archive: 0, delete: 0, replace: 3 });
		// Adopting never makes room for more removals: 3 of the stack's 8.
		expect(plan.hazards).toEqual([
			{
				kind: 'bulk-removal',
				removals: 3,
				managed: 8,
				thresholdPct: 25,
				byKind: { archive: 0, delete: 0, replace: 3 },
			},
		]);
	});

	it('names only the kinds that occur, in the singular for one', () => {
		expect(removalsText(1, { archive: 0, delete: 0, replace: 1 })).toBe('1 removal (1 replace)');
		expect(removalsText(4, { archive: 1, delete: 2, replace: 1 })).toBe(
			'4 removals (1 archive, 2 deletes, 1 replace)'
		);
		expect(removalsText(3, undefined)).toBe('3 removals');
	});

	it('counts only active sessions: replace and archive of history are not counted', () => {
		const actions: Action[] = [
			{ kind: 'archive', key: 'a', live: liveRef({ id: 'x' }), reason: '' },
			{ kind: 'delete', key: 'b', live: liveRef({ id: 'old' }), reason: '' },
			{ kind: 'delete', key: 'c', live: liveRef({ id: 'y' }), reason: '' },
		];
		expect(countRemovals(actions, (id) => id === 'old')).toEqual({
			archive: 1,
			delete: 1,
			replace: 0,
		});
	});
});
