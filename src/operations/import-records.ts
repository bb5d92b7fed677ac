/**
 * `import SECTION.KEY=ID`: takes over a record of another kind made by hand (`import
 * agents.reviewer=agent_1a2b`). Like a session's import, the spec must declare the entry: when it
 * lacks it, the entry (the record's values and `adopt: ID`) is printed, or with `--write` added
 * to the spec file; then the plan of those entries adopts the records (a kind the Hub can update
 * gets its ownership marker written) and applies like any other.
 */
import { UserError } from '../core/errors.js';
import { readOnly } from '../hub/client.js';
import {
	DEFAULT_KIND_KEY_PATTERN,
	qualifiedKey,
	resourceRows,
	type AnyResourceKindRow,
	type KindTable,
	type LiveLookup,
} from '../kinds/kind.js';
import type { Spec } from '../kinds/session/desired.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { importInstead, kindOfId, notOfKind, type IdKind } from '../kinds/id-kind.js';
import { entryValues, sectionText } from '../spec/export/resource-sections.js';
import type { ConnectedHub } from './connect.js';
import { warn, type Environment } from './environment.js';
import { plan, type Planned } from './plan.js';
import { loadSpecOrFail } from './planning.js';
import { readResourceListings } from './resource-planning.js';
import type { SpecAndHub } from './spec-and-hub.js';
import { connectHub } from './connect.js';
import { writeEntries, writeTarget } from './write-entries.js';

/** One `SECTION.KEY=ID` argument. */
export interface RecordImport {
	readonly row: AnyResourceKindRow;
	readonly key: string;
	readonly id: string;
}

const TARGET = /^([^=\s]+)=(\S+)$/;

/**
 * The arguments as records to import, or undefined when none names one (session ids). Mixing
 * both is refused: they are imported in separate runs.
 */
export function recordImports(
	table: KindTable,
	args: readonly string[]
): RecordImport[] | undefined {
	const parsed = args.map((arg) => {
		const match = TARGET.exec(arg);
		if (!match) return undefined;
		const [, qualified, id] = match;
		const row = resourceRows(table).find(
			(each) => each.qualify === 'section' && qualified!.startsWith(`${each.section}.`)
		);
		if (!row && qualified!.startsWith('sessions.')) {
			const key = qualified!.slice('sessions.'.length);
			throw new UserError(
				`import ${arg}: a session is imported by its id alone: run coder-sessions import ${id} --key ${key}`
			);
		}
		if (!row) {
			const sections = resourceRows(table).map((each) => each.section);
			throw new UserError(
				`import ${arg}: ${qualified} names no kind of the spec (its kinds: ${sections.length > 0 ? sections.join(', ') : 'sessions only'})`
			);
		}
		const key = qualified!.slice(row.section.length + 1);
		if (!(row.keyPattern ?? DEFAULT_KIND_KEY_PATTERN).test(key))
			throw new UserError(`import ${arg}: invalid ${row.name} key "${key}"`);
		return { row, key, id: id! };
	});
	const records = parsed.filter((each): each is RecordImport => each !== undefined);
	if (records.length === 0) return undefined;
	if (records.length < args.length) {
		throw new UserError(
			'import sessions and records of other kinds (SECTION.KEY=ID) in separate runs'
		);
	}
	return records;
}

/** The kind of a record or session with this id; the session is read only on this error path. */
async function kindHolding(
	id: string,
	table: KindTable,
	records: ReadonlyMap<string, readonly unknown[]>,
	connected: ConnectedHub
): Promise<IdKind | undefined> {
	// A Hub that answers an id of another shape with an error, not a 404, holds no such session.
	const session = await readOnly(connected.hub)
		.getSession(id)
		.catch(() => undefined);
	return kindOfId(id, table, session ? [session] : [], records);
}

export type RecordImportPlan =
	| { readonly status: 'nothing' }
	/** The spec lacks these entries: each section's YAML, to add to the spec. */
	| {
			readonly status: 'missing-entries';
			readonly sections: readonly { readonly section: string; readonly text: string }[];
			readonly entries: number;
	  }
	| { readonly status: 'planned'; readonly planned: Planned; readonly replaced: readonly string[] };

export async function planRecordImport(
	imports: readonly RecordImport[],
	spec: Spec,
	connected: ConnectedHub,
	environment: Environment,
	table: KindTable
): Promise<RecordImportPlan> {
	const { records: live, retired } = await readResourceListings(readOnly(connected.hub), table);
	const lookup: LiveLookup = { records: (kind) => live.get(kind) ?? [] };
	const pending: { readonly target: RecordImport; readonly record: unknown }[] = [];
	for (const target of imports) {
		const { row, key, id } = target;
		const named = qualifiedKey(row, key);
		const record = (live.get(row.name) ?? []).find((each) => row.idOf(each) === id);
		if ((retired.get(row.name) ?? []).some((each) => row.idOf(each) === id)) {
			throw new UserError(
				`import ${named}: ${row.name} ${id} is archived, which cannot be undone: an archived ${row.name} is never adopted`
			);
		}
		if (record === undefined) {
			const elsewhere = await kindHolding(id, table, live, connected);
			throw new UserError(
				elsewhere
					? `import ${named}: ${notOfKind(id, elsewhere, row.name)}: run ${importInstead(id, elsewhere, key)} --write`
					: `import ${named}: no ${row.name} ${id} on the Hub`
			);
		}
		const owner = row.ownerOf(record);
		if (owner?.stack === spec.stack) {
			warn(
				environment,
				`${id} is managed by stack ${spec.stack} already, as ${qualifiedKey(row, owner.key)}; nothing to import.`
			);
			continue;
		}
		if (owner) {
			throw new UserError(
				`import ${named}: ${row.name} ${id} belongs to stack ${owner.stack}; it must forget it first`
			);
		}
		const entry = (spec.resources ?? []).find((each) => each.kind === row.name && each.key === key);
		if (entry && entry.adopt !== id) {
			throw new UserError(
				`import ${named}: the spec declares ${named} already${entry.adopt ? `, adopting ${entry.adopt}` : ''}; give another key, or set its adopt: to ${id}`
			);
		}
		pending.push({ target, record });
	}
	if (pending.length === 0) return { status: 'nothing' };
	const missing = pending.filter(
		({ target }) =>
			!(spec.resources ?? []).some(
				(each) => each.kind === target.row.name && each.key === target.key
			)
	);
	if (missing.length > 0) {
		// A reference is written as the key of an entry of the stack whose record it names.
		const keyOfHandle = (kind: string, handle: string) => {
			const row = resourceRows(table).find((each) => each.name === kind);
			const named = (live.get(kind) ?? []).find(
				(each) => row && (row.handle ? row.handle.live(each) : row.idOf(each)) === handle
			);
			const owner = named !== undefined ? row?.ownerOf(named) : undefined;
			return owner?.stack === spec.stack ? owner.key : undefined;
		};
		const bySection = new Map<string, Record<string, Record<string, unknown>>>();
		for (const { target, record } of missing) {
			const notes: string[] = [];
			const values = entryValues(target.row, record, lookup, keyOfHandle, notes);
			for (const note of notes)
				warn(environment, `${qualifiedKey(target.row, target.key)}: ${note}`);
			const section = bySection.get(target.row.section) ?? {};
			section[target.key] = { ...values, adopt: target.id };
			bySection.set(target.row.section, section);
		}
		return {
			status: 'missing-entries',
			entries: missing.length,
			sections: [...bySection].map(([section, entries]) => ({
				section,
				text: sectionText(section, entries),
			})),
		};
	}
	const only = pending.map(({ target }) => qualifiedKey(target.row, target.key));
	const planned = await plan(spec, connected, environment, { only, table });
	const replaced = (planned.plan.resources?.actions ?? [])
		.filter((action) => action.kind === 'replace')
		.map((action) => action.qualifiedKey);
	return { status: 'planned', planned, replaced };
}

/**
 * Loads the spec, opens the Hub and plans the import, adding the entries the spec lacks first
 * when `write` says where; then `then` goes on with the import on the open Hub.
 */
export async function importRecordsThen<T>(
	imports: readonly RecordImport[],
	request: SpecAndHub & {
		readonly write?: string | true;
		readonly onWritten?: (entries: number, file: string) => void;
	},
	environment: Environment,
	then: (imported: RecordImportPlan, spec: Spec, connected: ConnectedHub) => Promise<T>
): Promise<T> {
	const table = request.table ?? BUILT_IN_KINDS;
	let spec = await loadSpecOrFail(request.files, environment, table);
	const writeTo = request.write !== undefined ? writeTarget(request.write, spec.files) : undefined;
	const connected = await connectHub(request.target, environment);
	try {
		let imported = await planRecordImport(imports, spec, connected, environment, table);
		if (imported.status === 'missing-entries' && writeTo !== undefined) {
			for (const { section, text } of imported.sections)
				await writeEntries(
					writeTo,
					environment.cwd,
					text.slice(text.indexOf('\n') + 1),
					spec.stack,
					section
				);
			request.onWritten?.(imported.entries, writeTo);
			const reread = spec.files.includes(writeTo) ? spec.files : [...spec.files, writeTo];
			spec = await loadSpecOrFail(reread, environment, table);
			imported = await planRecordImport(imports, spec, connected, environment, table);
		}
		return await then(imported, spec, connected);
	} finally {
		await connected.close();
	}
}
