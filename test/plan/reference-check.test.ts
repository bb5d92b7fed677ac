import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../src/hub/types.js';
import {
	findReferenceProblems,
	idsToLookUp,
	referencesOf,
	type KnownRecords,
	type Reference,
	type ReferenceKind,
} from '../../src/plan/reference-check.js';
import type { Action } from '../../src/plan/types.js';
import type { DesiredSession } from '../../src/kinds/session/desired.js';
import { liveRef, noop, planOf } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

const source = { file: 'sessions.yaml', line: 12, column: 3 };
const create = (entry: DesiredSession): Action => ({
	kind: 'create',
	key: entry.key,
	reason: 'new',
	desired: entry,
});

const known = (kind: ReferenceKind, entries: LibraryEntry[]): [ReferenceKind, KnownRecords] => [
	kind,
	{
		found: new Set(entries.flatMap((entry) => [entry.id, ...(entry.slug ? [entry.slug] : [])])),
		entries,
	},
];

const ref = (kind: ReferenceKind, id: string, path: (string | number)[]): Reference => ({
	key: 'docs',
	kind,
	id,
	path: ['sessions', 'docs', ...path],
	source,
});

describe('referencesOf', () => {
	it('takes every reference of creates and replaces, with their spec paths', () => {
		const entry = desired('docs', {
			source,
			workspaceId: 'ws_1',
			savedSkillIds: ['skill_a', 'skill_b'],
			skillBucketIds: ['skbkt_1'],
			agent: 'builder',
			defaultAgent: 'my-agent',
			enabledAgents: ['reviewer', 'my-agent'],
		});
		const replaced = desired('moved', { workspaceId: 'ws_2' });
		const plan = planOf([
			create(entry),
			{
				kind: 'replace',
				key: 'moved',
				reason: 'workspace changed',
				live: liveRef(),
				desired: replaced,
				changes: [],
				forcedBy: ['workspaceId'],
			},
			noop('quiet'),
		]);
		expect(referencesOf(plan).map((r) => [r.kind, r.id, r.path.join('.')])).toEqual([
			['workspace', 'ws_1', 'sessions.docs.workspaceId'],
			['savedSkill', 'skill_a', 'sessions.docs.savedSkillIds.0'],
			['savedSkill', 'skill_b', 'sessions.docs.savedSkillIds.1'],
			['skillBucket', 'skbkt_1', 'sessions.docs.skillBucketIds.0'],
			['agent', 'builder', 'sessions.docs.agent'],
			['agent', 'my-agent', 'sessions.docs.defaultAgent'],
			['agent', 'reviewer', 'sessions.docs.enabledAgents.0'],
			['agent', 'my-agent', 'sessions.docs.enabledAgents.1'],
			['workspace', 'ws_2', 'sessions.moved.workspaceId'],
		]);
	});

	it('takes only the agent fields an update changes, and only the names it adds', () => {
		const entry = desired('docs', {
			workspaceId: 'ws_gone',
			agent: 'old-agent',
			defaultAgent: 'new-default',
			enabledAgents: ['kept', 'added'],
		});
		const plan = planOf([
			{
				kind: 'update',
				key: 'docs',
				reason: 'changed',
				live: liveRef(),
				desired: entry,
				stamp: 'x',
				changes: [
					{ field: 'defaultAgent', before: 'builder', after: 'new-default' },
					{ field: 'enabledAgents', before: ['kept'], after: ['added', 'kept'] },
				],
			},
		]);
		expect(referencesOf(plan).map((r) => [r.id, r.path.join('.')])).toEqual([
			['new-default', 'sessions.docs.defaultAgent'],
			['added', 'sessions.docs.enabledAgents.1'],
		]);
	});
});

describe('idsToLookUp', () => {
	it('names each id once and leaves built-in agents out', () => {
		const refs = [
			ref('agent', 'builder', ['agent']),
			ref('agent', 'mine', ['defaultAgent']),
			ref('agent', 'mine', ['enabledAgents', 0]),
			ref('agent', 'lead', ['enabledAgents', 1]),
			ref('workspace', 'ws_1', ['workspaceId']),
		];
		expect(idsToLookUp(refs, 'agent')).toEqual(['mine']);
		expect(idsToLookUp(refs, 'workspace')).toEqual(['ws_1']);
		expect(idsToLookUp(refs, 'savedSkill')).toEqual([]);
	});
});

describe('findReferenceProblems', () => {
	const library = new Map([
		known('workspace', [{ id: 'ws_docs01', names: ['docs'] }]),
		known('savedSkill', [{ id: 'skill_abc', names: ['pdf', 'PDF tools'] }]),
		known('skillBucket', [{ id: 'skbkt_1', names: ['writing'] }]),
		known('agent', [{ id: 'agent_1', slug: 'doc-writer', names: ['Doc writer'] }]),
	]);

	it('passes held ids, agent slugs and built-in agents', () => {
		const refs = [
			ref('workspace', 'ws_docs01', ['workspaceId']),
			ref('savedSkill', 'skill_abc', ['savedSkillIds', 0]),
			ref('skillBucket', 'skbkt_1', ['skillBucketIds', 0]),
			ref('agent', 'doc-writer', ['agent']),
			ref('agent', 'agent_1', ['defaultAgent']),
			ref('agent', 'reviewer', ['enabledAgents', 0]),
		];
		expect(findReferenceProblems(refs, library)).toEqual([]);
	});

	it('names what is missing, with the record a name or near id points at', () => {
		const refs = [
			ref('workspace', 'docs', ['workspaceId']),
			ref('savedSkill', 'pdf', ['savedSkillIds', 0]),
			ref('skillBucket', 'skbkt_2', ['skillBucketIds', 0]),
			ref('agent', 'doc-writr', ['agent']),
			ref('agent', 'reviewr', ['defaultAgent']),
			ref('agent', 'no-such-agent', ['enabledAgents', 0]),
		];
		expect(findReferenceProblems(refs, library).map((p) => p.message)).toEqual([
			'no workspace "docs" on the Hub; did you mean ws_docs01 (named "docs")?',
			'no saved skill "pdf" on the Hub; did you mean skill_abc (named "pdf")?',
			'no skill bucket "skbkt_2" on the Hub; did you mean skbkt_1?',
			'agent "doc-writr" is neither a built-in agent (lead, scout, builder, reviewer) nor a custom agent\'s id or slug on the Hub; did you mean doc-writer?',
			'agent "reviewr" is neither a built-in agent (lead, scout, builder, reviewer) nor a custom agent\'s id or slug on the Hub; did you mean reviewer?',
			'agent "no-such-agent" is neither a built-in agent (lead, scout, builder, reviewer) nor a custom agent\'s id or slug on the Hub',
		]);
	});

	it('passes the references of a kind the Hub could not answer', () => {
		const refs = [ref('workspace', 'ws_nope', ['workspaceId'])];
		expect(findReferenceProblems(refs, new Map())).toEqual([]);
	});
});
