import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
	SESSION_KINDS,
	type AnyResourceKindRow,
	type DesiredResource,
	type KindTable,
} from '../../src/index.js';
import { planResources } from '../../src/plan/kinds.js';
import { resolvedValues } from '../../src/apply/kinds.js';
import { withSessionWaits } from '../../src/plan/removal-waits.js';
import type { Action } from '../../src/plan/types.js';
import { liveRef } from '../support/plan-builders.js';
import { desired, live as liveSession } from '../support/session-builders.js';

/** Records as plain objects: `owner` is `stack/key`, references hold handles. */
type Record_ = { id: string; owner?: string; [field: string]: unknown };

const row = (
	name: string,
	level: number,
	fields: { name: string; onChange: 'update' | 'replace'; ref?: string }[],
	extra: Partial<AnyResourceKindRow> = {}
): AnyResourceKindRow => ({
	name,
	section: `${name}s`,
	qualify: 'section',
	level,
	references: fields.flatMap((f) => (f.ref ? [{ field: f.name, kind: f.ref, many: true }] : [])),
	fields: fields.map((f) => ({
		name: f.name,
		spec: z.unknown(),
		live: (record: Record_) => record[f.name],
		onChange: f.onChange,
		render: 'value' as const,
	})),
	idOf: (record: Record_) => record.id,
	ownerOf: (record: Record_) => {
		if (!record.owner) return undefined;
		const [stack, key] = record.owner.split('/');
		return { stack: stack!, key: key! };
	},
	createInput: () => ({}),
	updateInput: () => ({}),
	store: () => {
		throw new Error('not used');
	},
	...extra,
});

const skill = row('skill', 10, [{ name: 'content', onChange: 'replace' }]);
const bucket = row('bucket', 20, [{ name: 'skills', onChange: 'replace', ref: 'skill' }]);
const agent = row(
	'agent',
	30,
	[
		{ name: 'text', onChange: 'update' },
		{ name: 'companions', onChange: 'update', ref: 'agent' },
	],
	{
		handle: {
			desired: (key, values) => (values.slug as string) ?? key,
			live: (r: Record_) => r.slug as string,
		},
	}
);
const space = row('space', 40, [
	{ name: 'buckets', onChange: 'update', ref: 'bucket' },
	{ name: 'agents', onChange: 'update', ref: 'agent' },
]);
const TABLE: KindTable = [...SESSION_KINDS, skill, bucket, agent, space];

const entry = (kind: string, key: string, values: Record<string, unknown>): DesiredResource => ({
	kind,
	key,
	values,
	source: { file: 'spec.yaml', line: 1, column: 1 },
});

const plan = (entries: DesiredResource[], live: Record<string, Record_[]>) =>
	planResources(TABLE, {
		stack: 'docs',
		prune: 'archive',
		entries,
		live: new Map(Object.entries(live)),
	});

const SPEC = [
	entry('skill', 'style', { content: 'v2' }),
	entry('bucket', 'kit', { skills: ['style', 'skill_0000aa11'] }),
	entry('agent', 'helper', { text: 'help' }),
	entry('agent', 'reviewer', { text: 'review', companions: ['helper', 'scout'] }),
	entry('space', 'docs', { buckets: ['kit'], agents: ['reviewer', 'lead'] }),
];

const LIVE = {
	skill: [{ id: 'sk1', owner: 'docs/style', content: 'v2' }],
	bucket: [{ id: 'bk1', owner: 'docs/kit', skills: ['skill_0000aa11', 'sk1'] }],
	agent: [
		{ id: 'ag1', owner: 'docs/helper', slug: 'helper', text: 'help', companions: [] },
		{
			id: 'ag2',
			owner: 'docs/reviewer',
			slug: 'reviewer',
			text: 'review',
			companions: ['scout', 'helper'],
		},
	],
	space: [{ id: 'sp1', owner: 'docs/docs', buckets: ['bk1'], agents: ['lead', 'reviewer'] }],
};

describe('references between kinds', () => {
	it('compares the handles keys stand for, as sets: a converged stack plans no change', () => {
		const { actions } = plan(SPEC, LIVE);
		expect(actions.map((a) => [a.qualifiedKey, a.kind])).toEqual([
			['skills.style', 'noop'],
			['buckets.kit', 'noop'],
			['agents.helper', 'noop'],
			['agents.reviewer', 'noop'],
			['spaces.docs', 'noop'],
		]);
	});

	it('replaces what took a replaced record at creation, and updates what can change, saying why', () => {
		const changed = SPEC.map((each) =>
			each.key === 'style' ? entry('skill', 'style', { content: 'v3' }) : each
		);
		const byKey = new Map(plan(changed, LIVE).actions.map((a) => [a.qualifiedKey, a]));
		expect(byKey.get('skills.style')?.kind).toBe('replace');
		expect(byKey.get('buckets.kit')).toMatchObject({
			kind: 'replace',
			reason: 'replaced because skill style is replaced',
			dependsOn: ['skills.style'],
		});
		expect(byKey.get('spaces.docs')).toMatchObject({
			kind: 'update',
			reason: 'because bucket kit is replaced',
			changes: [
				{ field: 'buckets', before: ['kit'], after: ['kit'], because: 'bucket kit is replaced' },
			],
		});
		// An agent is named by its slug, known before apply: nothing it references is renewed.
		expect(byKey.get('agents.reviewer')?.kind).toBe('noop');
	});

	it('creates bottom-up from an empty Hub, each write taking the ids created before it', () => {
		const { actions } = plan(SPEC, {});
		expect(actions.map((a) => a.kind)).toEqual(['create', 'create', 'create', 'create', 'create']);
		const kit = actions.find((a) => a.qualifiedKey === 'buckets.kit')!;
		expect(resolvedValues(kit, new Map())).toEqual({ missing: ['skills.style'] });
		expect(resolvedValues(kit, new Map([['skills.style', 'sk9']]))).toEqual({
			values: { skills: ['sk9', 'skill_0000aa11'] },
		});
		const space = actions.find((a) => a.qualifiedKey === 'spaces.docs')!;
		expect(space.dependsOn).toEqual(['buckets.kit', 'agents.reviewer']);
		expect(resolvedValues(space, new Map([['buckets.kit', 'bk9']]))).toEqual({
			values: { buckets: ['bk9'], agents: ['reviewer', 'lead'] },
		});
	});

	it('shows a live handle of another stack or of no entry as it is', () => {
		const live = { ...LIVE, space: [{ ...LIVE.space[0]!, buckets: ['bk1', 'bkX'] }] };
		const docs = plan(SPEC, live).actions.find((a) => a.qualifiedKey === 'spaces.docs')!;
		expect(docs.changes).toEqual([
			expect.objectContaining({ field: 'buckets', before: ['kit', 'bkX'], after: ['kit'] }),
		]);
	});

	it('takes an unmarked record named by adopt:, never one another stack marked', () => {
		const adopted = [{ ...entry('skill', 'style', { content: 'v2' }), adopt: 'sk7' }];
		const mine = plan(adopted, { skill: [{ id: 'sk7', content: 'v2' }] });
		expect(mine.actions).toMatchObject([{ kind: 'noop', id: 'sk7' }]);
		const theirs = plan(adopted, { skill: [{ id: 'sk7', owner: 'other/style', content: 'v2' }] });
		expect(theirs.actions).toMatchObject([{ kind: 'create' }]);
		expect(theirs.notOwned).toMatchObject({ skill: 1 });
	});

	describe('a key holding the record a stopped replace left beside the old one', () => {
		// bk1 still has the skills the spec dropped; bk2, made by the replace, has the new ones.
		const stopped = [
			{ id: 'bk1', owner: 'docs/kit', skills: ['skill_0000aa11', 'sk1', 'sk_old'] },
			{ id: 'bk2', owner: 'docs/kit', skills: ['skill_0000aa11', 'sk1'] },
		];
		const live = { ...LIVE, bucket: stopped };
		const byKey = (actions: readonly { qualifiedKey: string; kind: string; id?: string }[]) =>
			actions.map((a) => [a.qualifiedKey, a.kind, a.id]);

		it('keeps the one that needs no replace, deletes the other, and moves what names it', () => {
			const { actions } = plan(SPEC, live);
			expect(byKey(actions)).toEqual([
				['skills.style', 'noop', 'sk1'],
				['buckets.kit', 'delete', 'bk1'],
				['buckets.kit', 'noop', 'bk2'],
				['agents.helper', 'noop', 'ag1'],
				['agents.reviewer', 'noop', 'ag2'],
				['spaces.docs', 'update', 'sp1'],
			]);
			expect(actions.find((a) => a.kind === 'delete')).toMatchObject({ keeps: 'bk2' });
			const docs = actions.find((a) => a.qualifiedKey === 'spaces.docs')!;
			expect(docs.references?.buckets).toMatchObject([{ handle: 'bk2' }]);
		});

		it('keeps the first when --replace, adopt: or protect names it, or none needs no replace', () => {
			const kit = (actions: readonly { qualifiedKey: string; kind: string; id?: string }[]) =>
				byKey(actions).filter(([key]) => key === 'buckets.kit');
			const replaced = planResources(TABLE, {
				stack: 'docs',
				prune: 'archive',
				entries: SPEC,
				live: new Map(Object.entries(live)),
				replace: new Set(['buckets.kit']),
			});
			expect(kit(replaced.actions)).toEqual([
				['buckets.kit', 'replace', 'bk1'],
				['buckets.kit', 'delete', 'bk2'],
			]);
			const adopting = SPEC.map((each) => (each.key === 'kit' ? { ...each, adopt: 'bk1' } : each));
			expect(kit(plan(adopting, live).actions)[0]).toEqual(['buckets.kit', 'replace', 'bk1']);
			const guarded = row('bucket', 20, [{ name: 'skills', onChange: 'replace', ref: 'skill' }], {
				ownerOf: (record: Record_) =>
					record.owner ? { stack: 'docs', key: 'kit', protect: record.id === 'bk1' } : undefined,
			});
			const protectedPlan = planResources(
				TABLE.map((each) => (each.name === 'bucket' ? guarded : each)),
				{ stack: 'docs', prune: 'archive', entries: SPEC, live: new Map(Object.entries(live)) }
			);
			expect(kit(protectedPlan.actions)[0]).toEqual(['buckets.kit', 'replace', 'bk1']);
			const bothOld = { ...live, bucket: stopped.map((each) => ({ ...stopped[0]!, id: each.id })) };
			expect(kit(plan(SPEC, bothOld).actions)[0]).toEqual(['buckets.kit', 'replace', 'bk1']);
		});
	});
});

describe('what a removal waits for', () => {
	const waits = (
		actions: readonly { qualifiedKey: string; kind: string; movedOffBy?: readonly string[] }[]
	) => actions.flatMap((a) => (a.movedOffBy ? [[a.qualifiedKey, a.kind, a.movedOffBy]] : []));

	it('a replaced record waits for the writes that take what names it onto the new one', () => {
		const changed = SPEC.map((each) =>
			each.key === 'style' ? entry('skill', 'style', { content: 'v3' }) : each
		);
		expect(waits(plan(changed, LIVE).actions)).toEqual([
			['skills.style', 'replace', ['buckets.kit']],
			['buckets.kit', 'replace', ['spaces.docs']],
		]);
	});

	it('a pruned record waits for the update that drops it, or the removal of what names it', () => {
		const dropped = SPEC.flatMap((each) =>
			each.key === 'kit'
				? []
				: each.key === 'docs'
					? [entry('space', 'docs', { buckets: [], agents: ['reviewer', 'lead'] })]
					: [each]
		);
		expect(waits(plan(dropped, LIVE).actions)).toEqual([
			['buckets.kit', 'delete', ['spaces.docs']],
		]);
		const bothGone = SPEC.filter((each) => each.key !== 'kit' && each.key !== 'docs');
		expect(waits(plan(bothGone, LIVE).actions)).toEqual([
			['buckets.kit', 'delete', ['spaces.docs']],
		]);
	});

	it('waits for no write that leaves the naming field alone, nor a removal of its own level', () => {
		const text = SPEC.map((each) =>
			each.key === 'docs' ? entry('space', 'docs', { buckets: ['kit'], agents: ['lead'] }) : each
		);
		expect(waits(plan(text, LIVE).actions)).toEqual([]);
		// reviewer names helper as a companion: both pruned, neither waits for the other.
		const agentsGone = SPEC.filter((each) => each.kind !== 'agent' && each.kind !== 'space');
		expect(waits(plan(agentsGone, LIVE).actions)).toEqual([
			['agents.reviewer', 'delete', ['spaces.docs']],
		]);
	});

	it('a removal waits for the session actions that take a session off it', () => {
		const pruned = plan(
			SPEC.filter((each) => each.kind !== 'skill'),
			{ ...LIVE, bucket: [], space: [] }
		);
		const ref = (key: string) => liveRef({ id: `codesess_${key}` });
		const sessions: Action[] = [
			{
				kind: 'replace',
				key: 'swapped',
				reason: '',
				live: ref('swapped'),
				desired: desired('swapped'),
				changes: [],
				forcedBy: [],
			},
			{ kind: 'archive', key: 'gone', reason: '', live: ref('gone') },
			{
				kind: 'update',
				key: 'tagged',
				reason: '',
				live: ref('tagged'),
				desired: desired('tagged'),
				changes: [{ field: 'tags', before: [], after: ['a'] }],
				stamp: '',
			},
			{ kind: 'noop', key: 'kept', reason: '', live: ref('kept') },
		];
		const live = ['swapped', 'gone', 'tagged', 'kept'].map((key) =>
			liveSession({ id: `codesess_${key}` })
		);
		const waited = withSessionWaits(TABLE, pruned, sessions, live, {
			records: (kind) => (LIVE as Record<string, Record_[]>)[kind] ?? [],
		});
		expect(
			waited.actions.flatMap((a) =>
				a.sessionsMovingOff ? [[a.qualifiedKey, a.sessionsMovingOff]] : []
			)
		).toEqual([['skills.style', ['swapped', 'gone']]]);
	});
});
