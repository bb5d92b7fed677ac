import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
	SESSION_KINDS,
	type AnyResourceKindRow,
	type DesiredResource,
	type KindTable,
} from '../../src/index.js';
import { planResources } from '../../src/plan/kinds.js';
import { strandedMessage, strandedReferences } from '../../src/plan/stranded.js';
import type { Action } from '../../src/plan/types.js';
import { liveRef } from '../support/plan-builders.js';
import { desired, live as liveSession } from '../support/session-builders.js';

/** Records as plain objects: `owner` is `stack/key`, references hold handles. */
type Record_ = { id: string; owner?: string; [field: string]: unknown };

const row = (
	name: string,
	level: number,
	references: { name: string; ref: string }[]
): AnyResourceKindRow => ({
	name,
	section: `${name}s`,
	qualify: 'section',
	level,
	references: references.map((f) => ({ field: f.name, kind: f.ref, many: true })),
	fields: references.map((f) => ({
		name: f.name,
		spec: z.unknown(),
		live: (record: Record_) => record[f.name],
		onChange: 'update' as const,
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
});

const bucket = row('bucket', 20, []);
const workspace = row('workspace', 40, [{ name: 'buckets', ref: 'bucket' }]);
const TABLE: KindTable = [...SESSION_KINDS, bucket, workspace];

const entry = (kind: string, key: string, values: Record<string, unknown>): DesiredResource => ({
	kind,
	key,
	values,
	source: { file: 'spec.yaml', line: 1, column: 1 },
});

const LIVE: Record<string, Record_[]> = {
	bucket: [{ id: 'bk1', owner: 'docs/kit' }],
	workspace: [
		{ id: 'ws1', owner: 'docs/docs', buckets: ['bk1'] },
		// Another stack's and an unmarked workspace name it too: not this stack's to check.
		{ id: 'ws2', owner: 'web/docs', buckets: ['bk1'] },
		{ id: 'ws3', buckets: ['bk1'] },
	],
};
const lookup = { records: (kind: string) => LIVE[kind] ?? [] };

function stranded(entries: DesiredResource[], only?: string[]) {
	const resources = planResources(TABLE, {
		stack: 'docs',
		prune: 'delete',
		entries,
		live: new Map(Object.entries(LIVE)),
		...(only ? { only: new Set(only) } : {}),
	});
	return strandedReferences(TABLE, resources, { actions: [], desired: [] }, [], lookup, 'docs').map(
		(each) => [each.holder, each.field, each.why]
	);
}

describe('records of the stack that would name a record the plan removes', () => {
	it('a field the entry leaves out keeps the removed bucket: stranded', () => {
		expect(stranded([entry('workspace', 'docs', {})])).toEqual([
			['workspaces.docs', 'buckets', 'left out'],
		]);
	});

	it('a field written without the bucket moves off it: nothing stranded', () => {
		expect(stranded([entry('workspace', 'docs', { buckets: [] })])).toEqual([]);
	});

	it('the workspace outside --only keeps it, whatever its entry says', () => {
		const entries = [entry('workspace', 'docs', { buckets: [] })];
		expect(stranded(entries, ['buckets.kit'])).toEqual([
			['workspaces.docs', 'buckets', 'outside --only'],
		]);
	});

	it('a session of the stack whose entry leaves its workspace out keeps the removed workspace; an archived one does not', () => {
		const session = liveSession({
			workspaceId: 'ws1',
			metadata: { 'coder-sessions/stack': 'docs', 'coder-sessions/key': 'api' },
		});
		const plan = planResources(TABLE, {
			stack: 'docs',
			prune: 'delete',
			entries: [],
			live: new Map(Object.entries(LIVE)),
		});
		const check = (action: Action, entries = [desired('api')]) =>
			strandedReferences(
				TABLE,
				plan,
				{ actions: [action], desired: entries },
				[session],
				lookup,
				'docs'
			).map((each) => [each.holder, each.field, each.why]);
		const noop: Action = { kind: 'noop', key: 'api', reason: '', live: liveRef(session) };
		expect(check(noop)).toContainEqual(['session api', 'workspaceId', 'left out']);
		const archive: Action = { kind: 'archive', key: 'api', reason: '', live: liveRef(session) };
		expect(check(archive)).toEqual([]);
	});

	it('the refusal keeps each stranded record on a line of its own, whatever the Hub put in an id', () => {
		const message = strandedMessage([
			{
				removal: 'skillBuckets.kit (skillBucket bk1\n::error::pwned\u001b[31m) is deleted',
				holder: 'workspaces.docs',
				field: 'skillBuckets',
				why: 'left out',
			},
		]);
		const lines = message.split('\n');
		expect(lines).toHaveLength(3);
		expect(lines[1]).toBe(
			'  - skillBuckets.kit (skillBucket bk1\\n::error::pwned\\u001b[31m) is deleted, but workspaces.docs still names it in skillBuckets (its entry leaves the field out, so the Hub keeps it)'
		);
		expect(message).not.toContain('\u001b');
	});
});
