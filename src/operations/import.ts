/**
 * `import`: adopt existing sessions into the spec's stack. Like terraform import, the spec must
 * declare the entry; the plan made here only adopts, and applies like any other.
 */
import { missingEnvOf } from '../plan/env/missing.js';
import { envValueHashesFor } from '../plan/env/resolve.js';
import { UserError } from '../core/errors.js';
import {
	findImportSessions,
	importEntryKeys,
	specWithAdoptions,
} from '../spec/export/import-entries.js';
import { readOnly } from '../hub/client.js';
import type { HubReader } from '../hub/types.js';
import { importInstead, kindOfId, notOfKind } from '../kinds/id-kind.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { readResourceRecords } from './resource-planning.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import { MARKER } from '../ownership/markers.js';
import { planSessions } from '../plan/diff.js';
import type { Spec } from '../kinds/session/desired.js';
import { SESSION_KEY_PATTERN } from '../spec/schema.js';
import { connectHub, type ConnectedHub } from './connect.js';
import { loadSpecOrFail } from './planning.js';
import type { SpecAndHub } from './spec-and-hub.js';
import { writeEntries, writeTarget } from './write-entries.js';
import { callsSince } from './hub-calls.js';
import { warn, type Environment } from './environment.js';
import type { Planned } from './plan.js';
import { refusalReasons } from './refusal.js';

export interface ImportOptions {
	/** The spec entry the session becomes (one session only). */
	readonly key?: string;
	/** Adopt sessions that belong to another stack. */
	readonly takeOver?: boolean;
	readonly parallelism?: number;
}

export type ImportPlan =
	/** Every session named is managed by the stack already. */
	| { readonly status: 'nothing' }
	/** The spec lacks entries to import into: these, to add under `sessions:`. */
	| { readonly status: 'missing-entries'; readonly snippets: readonly string[] }
	/**
	 * The adoption to apply; `replaced` names entries whose create-time fields differ, which
	 * import refuses (it adopts sessions as they are).
	 */
	| {
			readonly status: 'planned';
			readonly planned: Planned;
			readonly replaced: readonly { readonly key: string; readonly id: string }[];
	  };

export async function planImport(
	ids: readonly string[],
	spec: Spec,
	connected: ConnectedHub,
	environment: Environment,
	options: ImportOptions = {}
): Promise<ImportPlan> {
	const unique = [...new Set(ids)];
	checkImportKey(options.key, unique.length);
	const reader = readOnly(connected.hub);
	const before = { ...reader.calls };
	const live = await reader.readLiveSessions({
		parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
	});
	const unknown = unique.filter((id) => !live.some((session) => session.id === id));
	if (unknown.length > 0) await refuseIdsOfOtherKinds(unknown, reader);
	const pending = findImportSessions(unique, live).filter((session) => {
		const key =
			session.metadata[MARKER.stack] === spec.stack ? session.metadata[MARKER.key] : undefined;
		if (key !== undefined)
			warn(
				environment,
				`${session.id} is managed by stack ${spec.stack} already, as ${key}; nothing to import.`
			);
		return key === undefined;
	});
	if (pending.length === 0) return { status: 'nothing' };
	const { keys, snippets } = importEntryKeys(spec, live, pending, options.key);
	if (snippets.length > 0) return { status: 'missing-entries', snippets };
	const adopting = specWithAdoptions(spec, live, keys);
	const plan = planSessions(adopting, live, {
		only: [...keys.values()],
		envValueHashesBySession: envValueHashesFor(adopting, live, environment.env),
		takeOver: options.takeOver === true,
	});
	const idOfKey = new Map([...keys].map(([id, key]) => [key, id]));
	const replaced = plan.actions
		.filter((action) => action.kind === 'replace')
		.map((action) => ({ key: action.key, id: idOfKey.get(action.key) as string }));
	const meta = { files: spec.files, hubCalls: callsSince(before, reader.calls) };
	return {
		status: 'planned',
		planned: {
			spec,
			plan,
			live,
			meta,
			refusal: refusalReasons(plan),
			missingEnv: missingEnvOf(plan, environment.env),
		},
		replaced,
	};
}

/**
 * Ids given as sessions' that are records of another kind: an error naming the import to run
 * instead. The other kinds are read only when an id is not a session's.
 */
async function refuseIdsOfOtherKinds(ids: readonly string[], reader: HubReader): Promise<void> {
	const records = await readResourceRecords(reader, BUILT_IN_KINDS);
	const lines = ids.flatMap((id) => {
		const kind = kindOfId(id, BUILT_IN_KINDS, [], records);
		return kind
			? [`${notOfKind(id, kind, 'session')}: run ${importInstead(id, kind)} --write`]
			: [];
	});
	if (lines.length > 0) throw new UserError(lines.join('\n'));
}

/** `--key` names one entry of one session. */
export function checkImportKey(key: string | undefined, sessions: number): void {
	if (key === undefined) return;
	if (sessions !== 1) {
		throw new UserError(
			'--key names the entry of one session: give exactly one SESSION_ID with it'
		);
	}
	if (!SESSION_KEY_PATTERN.test(key)) {
		throw new UserError(
			`invalid --key "${key}": use lowercase letters, digits, dots, dashes and underscores`
		);
	}
}

export interface ImportFilesRequest extends SpecAndHub, ImportOptions {
	/** `--write [FILE]`: add the entries the spec lacks to FILE (true: the spec's one file). */
	readonly write?: string | true;
	/** The entries were added to `file`; the spec is read again and the import goes on. */
	readonly onWritten?: (entries: number, file: string) => void;
}

/**
 * Loads the spec, opens the Hub and plans the import, adding the entries the spec lacks first
 * when `write` says where; then `then` goes on with the import (and the spec it was planned
 * from) on the open Hub.
 */
export async function importThen<T>(
	ids: readonly string[],
	request: ImportFilesRequest,
	environment: Environment,
	then: (imported: ImportPlan, spec: Spec, connected: ConnectedHub) => Promise<T>
): Promise<T> {
	checkImportKey(request.key, new Set(ids).size);
	const { files, target, table, write, onWritten, ...options } = request;
	let spec = await loadSpecOrFail(files, environment, table);
	const writeTo = write !== undefined ? writeTarget(write, spec.files) : undefined;
	const connected = await connectHub(target, environment);
	try {
		let imported = await planImport(ids, spec, connected, environment, options);
		if (imported.status === 'missing-entries' && writeTo !== undefined) {
			await writeEntries(writeTo, environment.cwd, imported.snippets.join('\n'), spec.stack);
			onWritten?.(imported.snippets.length, writeTo);
			const reread = spec.files.includes(writeTo) ? spec.files : [...spec.files, writeTo];
			spec = await loadSpecOrFail(reread, environment, table);
			imported = await planImport(ids, spec, connected, environment, options);
		}
		return await then(imported, spec, connected);
	} finally {
		await connected.close();
	}
}
