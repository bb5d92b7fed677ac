import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import { MARKER } from '../../src/ownership/markers.js';
import { entryEnvDigests } from '../../src/plan/env/resolve.js';
import type { DesiredSession } from '../../src/kinds/session/desired.js';
import { TEST_ENV_SECRET, desired, live, liveFor, spec } from '../support/session-builders.js';

const KEYED = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET };

const kinds = (plan: ReturnType<typeof planSessions>) =>
	plan.actions.map((a) => `${a.kind}:${a.key}`);

describe('planSessions: the set diff', () => {
	it('creates every entry on an empty Hub', () => {
		const plan = planSessions(spec([desired('b'), desired('a')]), []);
		expect(kinds(plan)).toEqual(['create:a', 'create:b']);
	});

	it('plans nothing when the Hub matches', async () => {
		const entry = desired('a', { label: 'A', tags: ['x', 'y'], metadata: { ticket: 'T-1' } });
		const plan = planSessions(spec([entry]), [await liveFor(entry)]);
		expect(kinds(plan)).toEqual(['noop:a']);
	});

	it('reads a stamp an earlier version wrote: the session plans as unchanged, with no drift', () => {
		// As apply wrote it before this version: the digests of a stamp must never move.
		const applied = JSON.stringify({
			v: 1,
			h: {
				label: '779dd08706308be9',
				visibility: '74234e98afe7498f',
				tags: '700a65d1ab6ec7c0',
				workflowMode: '74234e98afe7498f',
				loop: '74234e98afe7498f',
				agent: '74234e98afe7498f',
				defaultAgent: '74234e98afe7498f',
				enabledAgents: '74234e98afe7498f',
				skills: '74234e98afe7498f',
				metadata: '44136fa355b3678a',
				task: 'aea0879ab71f8b6c',
				repo: '74234e98afe7498f',
				repos: '74234e98afe7498f',
				workspaceId: '74234e98afe7498f',
				savedSkillIds: '74234e98afe7498f',
				skillBucketIds: '74234e98afe7498f',
				sandbox: '74234e98afe7498f',
			},
		});
		const entry = desired('s-00000', {
			task: 'Benchmark task number 0',
			label: 'Session 0',
			tags: ['bench'],
		});
		const session = live({
			label: 'Session 0',
			tags: ['bench'],
			task: 'Benchmark task number 0',
			detail: { skills: [] },
			metadata: {
				[MARKER.stack]: 'docs-team',
				[MARKER.key]: 's-00000',
				[MARKER.applied]: applied,
			},
		});
		const plan = planSessions(spec([entry]), [session]);
		expect(kinds(plan)).toEqual(['noop:s-00000']);
		expect(plan.prior).toMatchObject([{ stamp: 'applied', outside: [], pending: [] }]);
	});

	it('finds each edited entry among many unchanged ones with short, repeated and unique values', async () => {
		const entries = Array.from({ length: 1500 }, (_, i) =>
			desired(`k${i}`, { task: `t${i}`, label: `L${i}`, tags: [`g${i % 3}`] })
		);
		const sessions = await Promise.all(entries.map((entry) => liveFor(entry)));
		const edited = new Set([7, 1100, 1499]);
		const specNow = entries.map((entry, i) =>
			edited.has(i) ? { ...entry, label: `L${i + 1}` } : entry
		);
		const plan = planSessions(spec(specNow), sessions);
		const updates = plan.actions.filter((action) => action.kind === 'update');
		expect(updates.map((action) => action.key).sort()).toEqual(['k1100', 'k1499', 'k7']);
		expect(plan.actions.filter((action) => action.kind === 'noop')).toHaveLength(1497);
		const pending = plan.prior.filter((session) => !session.archived && session.pending.length);
		expect(pending.map((session) => session.key).sort()).toEqual(['k1100', 'k1499', 'k7']);
	});

	it('leaves sessions of other stacks and unmarked sessions alone, and counts them', () => {
		const foreign = live({ metadata: { [MARKER.stack]: 'other', [MARKER.key]: 'a' } });
		const unmarked = live({ metadata: { ticket: 'x' } });
		const plan = planSessions(spec([], { prune: 'delete' }), [foreign, unmarked]);
		expect(plan.actions).toEqual([]);
		expect(plan.counts).toEqual({ managed: 0, otherStacks: 1, unmanaged: 1 });
	});

	it('leaves alone, as unmanaged, a session that holds only one of the stack and key markers', () => {
		const stackOnly = live({ metadata: { [MARKER.stack]: 'team' } });
		const keyOnly = live({ metadata: { [MARKER.key]: 'a' } });
		const plan = planSessions(spec([], { stack: 'team', prune: 'delete' }), [stackOnly, keyOnly]);
		expect(plan.actions).toEqual([]);
		expect(plan.counts).toEqual({ managed: 0, otherStacks: 0, unmanaged: 2 });
	});

	it('keeps the newest of two live sessions with one key and dedupes the other', async () => {
		const entry = desired('a');
		const older = await liveFor(entry, { fields: { createdAt: '2026-01-01T00:00:00Z' } });
		const newer = await liveFor(entry, { fields: { createdAt: '2026-01-02T00:00:00Z' } });
		const plan = planSessions(spec([entry]), [newer, older]);
		expect(kinds(plan)).toEqual(['dedupe:a', 'noop:a']);
		const dedupe = plan.actions.find((a) => a.kind === 'dedupe');
		expect(dedupe).toMatchObject({ live: { id: older.id }, keep: newer.id });
	});

	it('keeps the same copy whatever the spec says, so two specs never archive both', async () => {
		const entry = desired('a', { label: 'One' });
		const edited = desired('a', { label: 'Two' });
		const first = await liveFor(entry, { fields: { createdAt: '2026-01-01T00:00:00Z' } });
		const second = await liveFor(edited, { fields: { createdAt: '2026-01-01T00:00:00Z' } });
		const keptBy = (wanted: DesiredSession) => {
			const dedupe = planSessions(spec([wanted]), [first, second]).actions.find(
				(a) => a.kind === 'dedupe'
			);
			return dedupe?.kind === 'dedupe' ? dedupe.keep : undefined;
		};
		// Each spec matches a different copy; both plans still keep the same one.
		expect(keptBy(entry)).toBeDefined();
		expect(keptBy(entry)).toBe(keptBy(edited));
	});

	it('of copies created at the same moment keeps the one with the last id, in any listed order', async () => {
		const entry = desired('a');
		const at = { createdAt: '2026-01-01T00:00:00Z' };
		const [first, second, third] = await Promise.all(
			['codesess_000000000b', 'codesess_000000000c', 'codesess_000000000a'].map((id) =>
				liveFor(entry, { fields: { ...at, id } })
			)
		);
		for (const listed of [
			[first!, second!, third!],
			[second!, third!, first!],
			[third!, second!, first!],
		]) {
			const dedupes = planSessions(spec([entry]), listed).actions.filter(
				(a) => a.kind === 'dedupe'
			);
			expect(dedupes.map((a) => (a.kind === 'dedupe' ? [a.live.id, a.keep] : []))).toEqual([
				['codesess_000000000a', 'codesess_000000000c'],
				['codesess_000000000b', 'codesess_000000000c'],
			]);
		}
	});

	it('keeps the newest active copy, however new its archived ones are', async () => {
		const entry = desired('a');
		const older = await liveFor(entry, { fields: { createdAt: '2026-01-01T00:00:00Z' } });
		const newer = await liveFor(entry, { fields: { createdAt: '2026-01-02T00:00:00Z' } });
		const archived = await liveFor(entry, {
			fields: { createdAt: '2026-01-03T00:00:00Z', archived: true, status: 'archived' },
		});
		const plan = planSessions(spec([entry]), [archived, newer, older]);
		expect(plan.actions.find((a) => a.kind === 'dedupe')).toMatchObject({
			live: { id: older.id },
			keep: newer.id,
		});
		expect(plan.counts).toEqual({ managed: 3, otherStacks: 0, unmanaged: 0 });
	});
});

describe('planSessions: updates in place', () => {
	const cases: {
		field: string;
		entry: Partial<DesiredSession>;
		drift: Parameters<typeof live>[0];
	}[] = [
		{ field: 'label', entry: { label: 'New' }, drift: { label: 'Old' } },
		{
			field: 'visibility',
			entry: { visibility: 'organization' },
			drift: { visibility: 'private' },
		},
		{ field: 'tags', entry: { tags: ['a', 'b'] }, drift: { tags: ['a'] } },
		{ field: 'defaultAgent', entry: { defaultAgent: 'scout' }, drift: { defaultAgent: 'lead' } },
		{
			field: 'enabledAgents',
			entry: { enabledAgents: ['a', 'b'] },
			drift: { enabledAgents: ['a'] },
		},
	];
	for (const { field, entry: fields, drift } of cases) {
		it(`updates ${field}`, async () => {
			const entry = desired('a', fields);
			const session = await liveFor(entry, { fields: drift });
			const plan = planSessions(spec([entry]), [session]);
			expect(kinds(plan)).toEqual(['update:a']);
			const action = plan.actions[0]!;
			expect(action.kind === 'update' && action.changes.map((c) => c.field)).toEqual([field]);
		});
	}

	it('compares tags as sets', async () => {
		const entry = desired('a', { tags: ['b', 'a'] });
		const plan = planSessions(spec([entry]), [
			await liveFor(entry, { fields: { tags: ['a', 'b', 'a'] } }),
		]);
		expect(kinds(plan)).toEqual(['noop:a']);
	});

	it('compares only the metadata keys the spec manages', async () => {
		const entry = desired('a', { metadata: { ticket: 'T-2' } });
		const session = await liveFor(entry);
		const drifted = { ...session, metadata: { ...session.metadata, ticket: 'T-1', other: 'kept' } };
		const plan = planSessions(spec([entry]), [drifted]);
		const action = plan.actions[0]!;
		expect(action.kind).toBe('update');
		expect(action.kind === 'update' && action.changes).toEqual([
			{ field: 'metadata', before: { ticket: 'T-1' }, after: { ticket: 'T-2' } },
		]);
	});

	it('updates protect through its marker', async () => {
		const before = desired('a');
		const plan = planSessions(spec([desired('a', { protect: true })]), [await liveFor(before)]);
		expect(plan.actions[0]).toMatchObject({
			kind: 'update',
			changes: [{ field: 'protect', before: false, after: true }],
		});
	});

	it('finds loop changes through the applied stamp, and replaces: the documented PATCH takes no loop', async () => {
		const before = desired('a', { workflowMode: 'loop', loop: { goal: 'old' } });
		const after = desired('a', { workflowMode: 'loop', loop: { goal: 'new' } });
		const plan = planSessions(spec([after]), [await liveFor(before)]);
		expect(plan.actions[0]).toMatchObject({
			kind: 'replace',
			forcedBy: ['loop'],
			changes: [{ field: 'loop', viaDigest: true }],
			reason: "loop: the Hub's documented update (PATCH) takes neither workflowMode nor loop",
		});
	});

	it('replaces a workflowMode change, saying why', async () => {
		const entry = desired('a', { workflowMode: 'loop', task: 'New task' });
		const session = await liveFor(desired('a'), { fields: { workflowMode: 'standard' } });
		const plan = planSessions(spec([entry]), [session]);
		expect(plan.actions[0]).toMatchObject({
			kind: 'replace',
			forcedBy: ['workflowMode', 'task'],
			reason:
				"the Hub cannot change task after creation; workflowMode: the Hub's documented update (PATCH) takes neither workflowMode nor loop",
		});
	});

	it('leaves skills the Hub expanded from saved skills and buckets alone, either way', async () => {
		const own = { skillId: 'lint', repo: 'agentuity/skills' };
		const saved = { skillId: 'review', repo: 'agentuity/skills', name: 'Review' };
		const entry = desired('a', { skills: [own], savedSkillIds: ['sk_review'] });
		for (const echoed of [[own, saved], [own]]) {
			const session = await liveFor(entry, { fields: { detail: { skills: echoed } } });
			expect(kinds(planSessions(spec([entry]), [session]))).toEqual(['noop:a']);
		}
		// The stamp still tells a change of the skills asked for.
		const edited = desired('a', { skills: [], savedSkillIds: ['sk_review'] });
		const session = await liveFor(entry, { fields: { detail: { skills: [own, saved] } } });
		expect(planSessions(spec([edited]), [session]).actions[0]).toMatchObject({
			kind: 'update',
			changes: [{ field: 'skills', viaDigest: true }],
		});
		// A declared skill removed by hand shows, with what the session holds.
		const removed = await liveFor(entry, { fields: { detail: { skills: [saved] } } });
		expect(planSessions(spec([entry]), [removed]).actions[0]).toMatchObject({
			kind: 'update',
			changes: [{ field: 'skills', before: [saved], after: [own] }],
		});
		// Without saved skills, buckets or a workspace, the echo is compared: a hand change shows.
		const plain = desired('a', { skills: [own] });
		const handEdited = await liveFor(plain, { fields: { detail: { skills: [own, saved] } } });
		expect(planSessions(spec([plain]), [handEdited]).actions[0]).toMatchObject({
			kind: 'update',
			changes: [{ field: 'skills', before: [own, saved] }],
		});
	});

	it('leaves fields listed in ignoreChanges alone', async () => {
		const entry = desired('a', { label: 'New', ignoreChanges: ['label'] });
		const plan = planSessions(spec([entry]), [
			await liveFor(entry, { fields: { label: 'Hand edited' } }),
		]);
		expect(kinds(plan)).toEqual(['noop:a']);
	});
});

describe('planSessions: replace', () => {
	const cases: {
		field: string;
		before: Partial<DesiredSession>;
		after: Partial<DesiredSession>;
	}[] = [
		{ field: 'task', before: { task: 'one' }, after: { task: 'two' } },
		{
			field: 'repo',
			before: { repo: { owner: 'o', name: 'r' } },
			after: { repo: { owner: 'o', name: 'r', branch: 'dev' } },
		},
		{ field: 'repos', before: {}, after: { repos: [{ owner: 'o', name: 'r' }] } },
		{ field: 'workspaceId', before: { workspaceId: 'ws_1' }, after: { workspaceId: 'ws_2' } },
		{ field: 'savedSkillIds', before: { savedSkillIds: ['s1'] }, after: { savedSkillIds: ['s2'] } },
		{
			field: 'skillBucketIds',
			before: { skillBucketIds: ['b1'] },
			after: { skillBucketIds: ['b2'] },
		},
		{
			field: 'sandbox',
			before: { sandbox: { runtime: 'bun:1' } },
			after: { sandbox: { runtime: 'node:20' } },
		},
		{ field: 'env', before: { env: { A: '${A}' } }, after: { env: { A: '${A}', B: '${B}' } } },
	];
	for (const { field, before, after } of cases) {
		it(`replaces when ${field} changes, naming it`, async () => {
			const plan = planSessions(spec([desired('a', after)]), [await liveFor(desired('a', before))]);
			expect(plan.actions[0]).toMatchObject({ kind: 'replace', forcedBy: [field] });
		});
	}

	it('replaces when an env value changed, without holding the value', async () => {
		const entry = desired('a', { env: { TOKEN: '${TOKEN}' } });
		const session = await liveFor(entry, { env: { TOKEN: 'old-secret' } });
		const hashes = { [session.id]: entryEnvDigests(entry, { TOKEN: 'new-secret', ...KEYED }) };
		const plan = planSessions(spec([entry]), [session], { envValueHashesBySession: hashes });
		expect(plan.actions[0]).toMatchObject({
			kind: 'replace',
			changes: [{ field: 'env', envKeys: [{ key: 'TOKEN', change: 'changed' }] }],
		});
		expect(JSON.stringify(plan)).not.toContain('secret');
	});

	it('does not replace when the env value is the one applied', async () => {
		const entry = desired('a', { env: { TOKEN: '${TOKEN}' } });
		const session = await liveFor(entry, { env: { TOKEN: 'same' } });
		const hashes = { [session.id]: entryEnvDigests(entry, { TOKEN: 'same', ...KEYED }) };
		expect(
			kinds(planSessions(spec([entry]), [session], { envValueHashesBySession: hashes }))
		).toEqual(['noop:a']);
	});
});

describe('planSessions: removal and state', () => {
	it.each([
		['archive', ['archive:gone']],
		['delete', ['delete:gone']],
		['keep', ['noop:gone']],
	] as const)('prune: %s', async (prune, expected) => {
		const plan = planSessions(spec([], { prune }), [await liveFor(desired('gone'))], { only: [] });
		expect(kinds(plan)).toEqual(expected);
	});

	it('leaves a removed entry whose sessions are all archived as it is under prune: archive and keep', async () => {
		const archived = await liveFor(desired('gone'), {
			fields: { archived: true, bucket: 'history', status: 'archived' },
		});
		for (const prune of ['archive', 'keep'] as const) {
			const plan = planSessions(spec([], { prune }), [archived]);
			expect(plan.actions).toEqual([
				expect.objectContaining({
					kind: 'noop',
					key: 'gone',
					live: expect.objectContaining({ id: archived.id }),
				}),
			]);
		}
		const archive = planSessions(spec([], { prune: 'archive' }), [archived]);
		expect(archive.actions[0]?.reason).toBe('archived');
	});

	it('archives an entry declared archived', async () => {
		const plan = planSessions(spec([desired('a', { state: 'archived' })]), [
			await liveFor(desired('a')),
		]);
		expect(kinds(plan)).toEqual(['archive:a']);
	});

	it('does nothing for an archived entry with no or an archived live session', async () => {
		const entry = desired('a', { state: 'archived' });
		expect(kinds(planSessions(spec([entry]), []))).toEqual(['noop:a']);
		const archived = await liveFor(entry, {
			fields: { archived: true, bucket: 'history', status: 'archived' },
		});
		expect(kinds(planSessions(spec([entry]), [archived]))).toEqual(['noop:a']);
	});

	it('creates a new session when the live one was archived but the spec wants it active', async () => {
		const entry = desired('a');
		const archived = await liveFor(entry, {
			fields: { archived: true, bucket: 'history', status: 'archived' },
		});
		expect(kinds(planSessions(spec([entry]), [archived]))).toEqual(['create:a']);
	});
});

describe('planSessions: --only and determinism', () => {
	it('plans only the keys given', async () => {
		const plan = planSessions(
			spec([desired('a'), desired('b')]),
			[await liveFor(desired('gone'))],
			{ only: ['b'] }
		);
		expect(kinds(plan)).toEqual(['create:b']);
		expect(plan.only).toEqual(['b']);
	});

	it('gives the same fingerprint for the same changes, whatever the input order', async () => {
		const live1 = await liveFor(desired('x', { label: 'old' }));
		const one = planSessions(spec([desired('a'), desired('x', { label: 'new' })]), [live1]);
		const two = planSessions(spec([desired('x', { label: 'new' }), desired('a')]), [live1]);
		expect(one.fingerprint).toBe(two.fingerprint);
		const three = planSessions(spec([desired('a'), desired('x', { label: 'newer' })]), [live1]);
		expect(three.fingerprint).not.toBe(one.fingerprint);
	});

	it('covers the Hub planned against: a create-only plan worked out for another Hub or org does not match', () => {
		const creates = spec([desired('a'), desired('b')]);
		const hub = { local: false, url: 'https://hub.example', org: 'org_1' };
		const planned = planSessions(creates, [], { hub }).fingerprint;
		// The same Hub written with a trailing slash is the same Hub.
		expect(
			planSessions(creates, [], { hub: { ...hub, url: 'https://hub.example/' } }).fingerprint
		).toBe(planned);
		const others = [
			undefined,
			{ ...hub, url: 'https://other.example' },
			{ ...hub, org: 'org_2' },
			{ local: false, url: 'https://hub.example' },
			{ local: true, org: 'org_1' },
			{ local: false, region: 'usw' },
			{ local: false, region: 'usc' },
		];
		const fingerprints = others.map(
			(other) => planSessions(creates, [], { hub: other }).fingerprint
		);
		expect(new Set([planned, ...fingerprints]).size).toBe(others.length + 1);
	});
});

describe('planSessions: an interrupted replace', () => {
	it('keeps the new session that matches the spec and dedupes the old one', async () => {
		const old = await liveFor(desired('a', { task: 'old' }), {
			fields: { createdAt: '2026-01-01T00:00:00Z' },
		});
		const entry = desired('a', { task: 'new' });
		const fresh = await liveFor(entry, { fields: { createdAt: '2026-01-02T00:00:00Z' } });
		const plan = planSessions(spec([entry]), [old, fresh]);
		expect(kinds(plan)).toEqual(['dedupe:a', 'noop:a']);
		expect(plan.actions[0]).toMatchObject({ live: { id: old.id }, keep: fresh.id });
	});
});
