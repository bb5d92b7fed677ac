/**
 * Kinds defined in the tests only, as rows added to the kind table: `notes:` entries kept as
 * workspaces on the local Hub (through the real CoderClient), recognised by a marker in their
 * description; `pins:` entries, one level up, each naming a note it stands on.
 */
import type { CoderClient, CoderWorkspaceDetail } from '@agentuity/core/coder';
import * as z from 'zod';
import {
	SESSION_KINDS,
	type KindTable,
	type Owner,
	type ResourceKindRow,
} from '../../src/index.js';

export type Workspace = CoderWorkspaceDetail;
export interface NoteCreate {
	readonly name: string;
	readonly description: string;
	readonly systemPrompt?: string;
	readonly scope?: 'user' | 'org';
}
export type NoteUpdate = Partial<NoteCreate>;

type Store = ReturnType<ResourceKindRow<Workspace, NoteCreate, NoteUpdate>['store']>;

const workspaceStore = (client: CoderClient): Store => ({
	list: async () => (await client.listWorkspaces()).workspaces as Workspace[],
	create: async (input) => ({ id: (await client.createWorkspace(input)).id }),
	update: async (id, input) => {
		await client.updateWorkspace(id, input);
	},
	remove: (id) => client.deleteWorkspace(id),
});

/** A kind's ownership marker in a workspace's description: `toy-note STACK/KEY [protect]`. */
const owned = (tag: string) => {
	const marker = new RegExp(`^${tag} (\\S+)/(\\S+)( protect)?$`);
	return (record: Workspace): Owner | undefined => {
		const match = marker.exec(record.description ?? '');
		if (!match) return undefined;
		return { stack: match[1]!, key: match[2]!, ...(match[3] ? { protect: true } : {}) };
	};
};

const markerOf = (tag: string, owner: Owner) =>
	`${tag} ${owner.stack}/${owner.key}${owner.protect ? ' protect' : ''}`;

export const noteKind: ResourceKindRow<Workspace, NoteCreate, NoteUpdate> = {
	name: 'note',
	section: 'notes',
	qualify: 'section',
	level: 10,
	references: [],
	fields: [
		{
			name: 'text',
			// The Hub refuses a workspace with nothing in it: a note always has its text.
			spec: z.string(),
			live: (record) => record.systemPrompt,
			onChange: 'update',
			render: 'text',
		},
		{
			name: 'scope',
			spec: z.enum(['user', 'org']).optional(),
			live: (record) => record.scope,
			onChange: 'replace',
			render: 'value',
		},
	],
	idOf: (record) => record.id,
	ownerOf: owned('toy-note'),
	createInput: (owner, values) => ({
		name: owner.key,
		description: markerOf('toy-note', owner),
		...(values.text !== undefined ? { systemPrompt: values.text as string } : {}),
		...(values.scope !== undefined ? { scope: values.scope as 'user' | 'org' } : {}),
	}),
	updateInput: (owner, changed) => ({
		description: markerOf('toy-note', owner),
		...(changed.text !== undefined ? { systemPrompt: changed.text as string } : {}),
	}),
	store: (hub) => workspaceStore(hub.sdkClient as CoderClient),
	statusOf: (record) => `${record.systemPrompt?.length ?? 0} characters`,
	forgetInput: () => ({ description: 'left by toy-note' }),
};

export const pinKind: ResourceKindRow<Workspace, NoteCreate, NoteUpdate> = {
	name: 'pin',
	section: 'pins',
	qualify: 'section',
	level: 20,
	references: [{ field: 'note', kind: 'note' }],
	fields: [
		{
			name: 'note',
			spec: z.string(),
			live: (record) => record.systemPrompt,
			onChange: 'update',
			render: 'value',
		},
	],
	idOf: (record) => record.id,
	ownerOf: owned('toy-pin'),
	createInput: (owner, values) => ({
		name: owner.key,
		description: markerOf('toy-pin', owner),
		systemPrompt: values.note as string,
	}),
	updateInput: (owner, changed) => ({
		description: markerOf('toy-pin', owner),
		...(changed.note !== undefined ? { systemPrompt: changed.note as string } : {}),
	}),
	store: (hub) => workspaceStore(hub.sdkClient as CoderClient),
};

/** Notes only. */
export const NOTES_TABLE: KindTable = [...SESSION_KINDS, noteKind];
/** Notes and the pins standing on them. */
export const TABLE: KindTable = [...SESSION_KINDS, noteKind, pinKind];

/** The table with the note kind's store changed by `change`, as a misbehaving Hub would answer. */
export function tableWithNoteStore(change: (store: Store) => Partial<Store>): KindTable {
	const changed: typeof noteKind = {
		...noteKind,
		store: (hub) => {
			const store = noteKind.store(hub);
			return { ...store, ...change(store) };
		},
	};
	return [...SESSION_KINDS, changed, pinKind];
}
