import { describe, expect, it } from 'vitest';
import { adoptInput } from '../../src/apply/inputs.js';
import { envValueHashesFor } from '../../src/plan/env/resolve.js';
import { AdoptionError } from '../../src/plan/adopt.js';
import { renderUserError } from '../../src/render/user-error.js';
import { planSessions } from '../../src/plan/diff.js';
import { MARKER } from '../../src/ownership/markers.js';
import { renderJson, renderMarkdown, renderText } from '../../src/render/index.js';
import { blockingHazards } from '../../src/plan/safety.js';
import { parseEnvStamp, parseStamp } from '../../src/ownership/stamp.js';
import { staleReasons } from '../../src/plan/staleness.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { TEST_ENV_SECRET, desired, live, liveFor, spec } from '../support/session-builders.js';

const kinds = (plan: Plan) => plan.actions.map((a) => `${a.kind}:${a.key}`);
const only = <K extends Action['kind']>(plan: Plan, kind: K) => {
	const found = plan.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
	expect(found).toHaveLength(1);
	return found[0]!;
};

/** A hand-made session, as someone created it without the tool. */
const handMade = (fields: Parameters<typeof live>[0] = {}) =>
	live({
		task: 'Task for a',
		label: 'Hand made',
		tags: ['x'],
		metadata: { owner: 'maria' },
		...fields,
	});

describe('adopt: planning', () => {
	it('adopts an unmarked session with no changes when it already matches', () => {
		const session = handMade();
		const plan = planSessions(
			spec([desired('a', { adopt: session.id, label: 'Hand made', tags: ['x'] })]),
			[session]
		);
		const adopt = only(plan, 'adopt');
		expect(adopt).toMatchObject({ key: 'a', live: { id: session.id }, changes: [] });
		expect(adopt.foreignStack).toBeUndefined();
		expect(plan.hazards).toEqual([]);
		expect(plan.counts).toEqual({ managed: 1, otherStacks: 0, unmanaged: 0 });
	});

	it('carries the in-place changes', () => {
		const session = handMade({ visibility: 'private' });
		const entry = desired('a', {
			adopt: session.id,
			label: 'Renamed',
			tags: ['x', 'y'],
			visibility: 'organization',
			protect: true,
		});
		const adopt = only(planSessions(spec([entry]), [session]), 'adopt');
		expect(adopt.changes.map((c) => c.field).sort()).toEqual([
			'label',
			'protect',
			'tags',
			'visibility',
		]);
	});

	it('sends the in-place fields the Hub does not echo (agent): nothing says what the session has', async () => {
		const session = handMade({ workflowMode: 'loop' });
		const loop = { goal: 'Green CI', maxIterations: 3 };
		const entry = desired('a', {
			adopt: session.id,
			tags: ['x'],
			agent: 'lead',
			workflowMode: 'loop',
			loop,
		});
		const adopt = only(planSessions(spec([entry]), [session]), 'adopt');
		// The loop is neither echoed nor in the documented PATCH: taken as it is, like repo.
		expect(adopt.changes).toEqual([{ field: 'agent', after: 'lead' }]);
		const input = await adoptInput('docs-team', adopt);
		expect(input).toMatchObject({ agent: 'lead' });
		expect(input).not.toHaveProperty('loop');
		expect(input).not.toHaveProperty('workflowMode');
		// A session taken over from another stack has a stamp that says what was applied.
		const stamped = await liveFor(desired('b', { agent: 'lead' }), {
			stack: 'other',
			fields: { task: entry.task, tags: ['x'], workflowMode: 'loop' },
		});
		const takeOver = only(
			planSessions(
				spec([{ ...entry, adopt: stamped.id, workflowMode: undefined, loop: undefined }]),
				[stamped],
				{ takeOver: true }
			),
			'adopt'
		);
		expect(takeOver.changes).toEqual([]);
	});

	it('plans a replace of the adopted session when a create-time field differs', () => {
		const session = handMade({ task: 'Another task' });
		const plan = planSessions(spec([desired('a', { adopt: session.id, tags: ['x'] })]), [session]);
		const replace = only(plan, 'replace');
		expect(replace).toMatchObject({ live: { id: session.id }, forcedBy: ['task'] });
		expect(replace.reason).toBe(`adopting ${session.id}: task cannot change in place`);
	});

	it('plans a replace when the spec declares env keys the session lacks', () => {
		const session = handMade();
		const plan = planSessions(
			spec([desired('a', { adopt: session.id, tags: ['x'], env: { T: '${T}' } })]),
			[session]
		);
		expect(only(plan, 'replace').forcedBy).toEqual(['env']);
	});

	it('is inert once a session of the stack carries the key', async () => {
		const entry = desired('a');
		const managed = await liveFor(entry);
		const other = handMade();
		const plan = planSessions(spec([{ ...entry, adopt: other.id }]), [managed, other]);
		expect(kinds(plan)).toEqual(['noop:a']);
	});

	it('adopts when the only sessions with the key are archived', async () => {
		const archived = await liveFor(desired('a'), { fields: { archived: true } });
		const session = handMade();
		const plan = planSessions(spec([desired('a', { adopt: session.id, tags: ['x'] })]), [
			archived,
			session,
		]);
		expect(kinds(plan)).toEqual(['adopt:a']);
	});

	it('shows a foreign-owner hazard for a session of another stack, lifted only by --take-over', () => {
		const session = handMade({ metadata: { [MARKER.stack]: 'other', [MARKER.key]: 'b' } });
		const entry = desired('a', { adopt: session.id, tags: ['x'] });
		const plan = planSessions(spec([entry]), [session]);
		expect(only(plan, 'adopt')).toMatchObject({
			foreignStack: 'other',
			reason: 'taken over from stack other',
		});
		expect(plan.hazards).toEqual([
			{ kind: 'foreign-owner', sessions: [{ key: 'a', sessionId: session.id, stack: 'other' }] },
		]);
		expect(blockingHazards(plan.hazards, plan.removals, plan.removals)).toEqual(plan.hazards);

		const taken = planSessions(spec([entry]), [session], { takeOver: true });
		expect(taken.hazards).toEqual([]);
		expect(taken.takeOver).toBe(true);
		expect(taken.fingerprint).toBe(plan.fingerprint);
		expect(planSessions(spec([entry]), [handMade({ id: session.id })]).fingerprint).not.toBe(
			plan.fingerprint
		);
	});

	it('refuses, with every problem at once, ids that cannot be adopted', async () => {
		const archived = handMade({ archived: true });
		const ours = await liveFor(desired('b'));
		const free = handMade();
		const entries = [
			desired('a', { adopt: 'codesess_missing' }),
			desired('c', { adopt: archived.id }),
			desired('d', { adopt: ours.id }),
			desired('e', { adopt: free.id }),
			desired('f', { adopt: free.id }),
		];
		let error: unknown;
		try {
			planSessions(spec([...entries, desired('b')]), [archived, ours, free]);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(AdoptionError);
		expect((error as AdoptionError).exitCode).toBe(1);
		const at = { file: 'sessions.yaml', line: 1, column: 1 };
		expect((error as AdoptionError).problems).toEqual([
			{
				key: 'a',
				...at,
				message: 'session "codesess_missing" not found on the Hub (check the id, and --org)',
			},
			{
				key: 'c',
				...at,
				message: `session ${archived.id} is archived, and archiving cannot be undone; remove adopt: to create a new session`,
			},
			{
				key: 'd',
				...at,
				message: `session ${ours.id} already belongs to stack docs-team as "b"; rename the entry to that key, or remove adopt:`,
			},
			{ key: 'f', ...at, message: `session ${free.id} is adopted by sessions.e already` },
		]);
		// The CLI shows them under their heading, each at its entry's adopt:, with no "Error:" first.
		expect(renderUserError(error as AdoptionError)).toBe(
			[
				'Cannot plan: 4 problems with adopt:',
				'  sessions.yaml:1:1: sessions.a.adopt: session "codesess_missing" not found on the Hub (check the id, and --org)',
				`  sessions.yaml:1:1: sessions.c.adopt: session ${archived.id} is archived, and archiving cannot be undone; remove adopt: to create a new session`,
				`  sessions.yaml:1:1: sessions.d.adopt: session ${ours.id} already belongs to stack docs-team as "b"; rename the entry to that key, or remove adopt:`,
				`  sessions.yaml:1:1: sessions.f.adopt: session ${free.id} is adopted by sessions.e already`,
			].join('\n')
		);
	});

	it('checks only the keys in scope with --only', () => {
		const plan = planSessions(
			spec([desired('a', { adopt: 'codesess_missing' }), desired('b')]),
			[],
			{ only: ['b'] }
		);
		expect(kinds(plan)).toEqual(['create:b']);
	});

	it('runs adopts after creates and before updates', async () => {
		const updated = await liveFor(desired('c', { label: 'old' }));
		const session = handMade({ task: 'Task for b' });
		const plan = planSessions(
			spec([
				desired('a'),
				desired('b', { adopt: session.id, tags: ['x'] }),
				desired('c', { label: 'new' }),
			]),
			[updated, session]
		);
		expect(kinds(plan)).toEqual(['create:a', 'adopt:b', 'update:c']);
	});
});

describe('adopt: apply input, staleness and rendering', () => {
	it('writes the markers, the stamp and the changes in one update', async () => {
		const session = handMade();
		const entry = desired('a', {
			adopt: session.id,
			label: 'New',
			tags: ['x'],
			protect: true,
			env: {},
		});
		const adopt = only(planSessions(spec([entry]), [session]), 'adopt');
		const input = await adoptInput('docs-team', adopt);
		expect(input.label).toBe('New');
		expect(input.metadata).toMatchObject({
			[MARKER.stack]: 'docs-team',
			[MARKER.key]: 'a',
			[MARKER.protect]: 'true',
		});
		expect(parseStamp(input.metadata?.[MARKER.applied])).toBeDefined();
	});

	it('records env templates, without value hashes, for an unmarked session', async () => {
		const session = handMade({ envKeys: ['T'] });
		const adopt = only(
			planSessions(spec([desired('a', { adopt: session.id, tags: ['x'], env: { T: '${T}' } })]), [
				session,
			]),
			'adopt'
		);
		const stamp = parseEnvStamp(
			(await adoptInput('docs-team', adopt)).metadata?.[MARKER.appliedEnv]
		);
		expect(Object.keys(stamp?.k ?? {})).toEqual(['T']);
		expect(stamp?.k.T?.v).toBeUndefined();
	});

	it('goes stale when the session is adopted or changed meanwhile', async () => {
		const session = handMade();
		const wanted = spec([desired('a', { adopt: session.id, tags: ['x'] })]);
		const saved = planSessions(wanted, [session]);
		expect(staleReasons(saved, planSessions(wanted, [session]))).toEqual([]);
		const edited = { ...session, label: 'Edited by hand' };
		expect(staleReasons(saved, planSessions(wanted, [edited]))).toEqual([
			`adopt a (${session.id}): the session changed on the Hub since the plan was made`,
		]);
		const other = await liveFor(desired('a', { tags: ['x'] }));
		expect(staleReasons(saved, planSessions(wanted, [session, other]))).toEqual([
			`adopt a (${session.id}): session ${other.id} carries this key now`,
		]);
	});

	it('names the session that carries the key now, among the others on the Hub', async () => {
		const session = handMade({ task: 'Task for b' });
		const kept = await liveFor(desired('a'));
		const wanted = spec([desired('a'), desired('b', { adopt: session.id, tags: ['x'] })]);
		const saved = planSessions(wanted, [kept, session]);
		const other = await liveFor(desired('b', { tags: ['x'] }));
		const fresh = planSessions(wanted, [kept, session, other]);
		expect(fresh.actions.map((action) => action.key)).toEqual(['a', 'b']);
		expect(staleReasons(saved, fresh)).toEqual([
			`adopt b (${session.id}): session ${other.id} carries this key now`,
		]);
	});

	it('renders adopt in text, markdown and JSON, and explains a foreign owner', () => {
		const session = handMade({
			label: 'Hand made',
			metadata: { [MARKER.stack]: 'other', [MARKER.key]: 'b' },
		});
		const plan = planSessions(
			spec([desired('a', { adopt: session.id, tags: ['x'], label: 'Renamed' })]),
			[session]
		);
		const view = { plan, meta: { files: ['sessions.yaml'] } };
		const text = renderText(view, { color: false });
		expect(text).toContain(` <= adopt    a  ${session.id} "Hand made"`);
		expect(text).toContain(
			'      # writes the markers of stack docs-team, key a, in the same update'
		);
		expect(text).toContain('      ~ label: "Hand made" -> "Renamed"');
		expect(text).toContain(
			'Plan: 0 to create, 1 to adopt, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
		expect(text).toContain(
			`Session ${session.id} (entry a) belongs to stack other; re-run with --take-over to adopt it.`
		);
		const md = renderMarkdown(view);
		expect(md).toContain('<code>&#60;= adopt</code> <b>a</b>');
		expect(md).toContain('re-run with --take-over');
		const json = JSON.parse(renderJson(view));
		expect(json.summary.adopt).toBe(1);
		expect(json.actions[0]).toMatchObject({
			kind: 'adopt',
			key: 'a',
			sessionId: session.id,
			foreignStack: 'other',
			desired: { adopt: session.id },
		});
		expect(json.hazards[0].kind).toBe('foreign-owner');
	});
});

describe('adopting a session whose env value differs', () => {
	it('compares the env values of the adopted session, so the plan does not promise what apply cannot do', async () => {
		const theirs = desired('y', { env: { TOK: '${TOK}' } });
		const session = await liveFor(theirs, { stack: 'team-a', env: { TOK: 'v1' } });
		const ours = spec([desired('y', { env: { TOK: '${TOK}' }, adopt: session.id })], {
			stack: 'team-b',
		});
		const envValueHashesBySession = await envValueHashesFor(ours, [session], {
			TOK: 'v2',
			CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET,
		});
		const plan = planSessions(ours, [session], { envValueHashesBySession, takeOver: true });
		expect(plan.actions[0]).toMatchObject({ kind: 'replace', forcedBy: ['env'] });
	});
});
