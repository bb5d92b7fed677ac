import { resourceRows } from '../kinds/kind.js';
/** `export`: a spec for sessions on the Hub, a stack's or unmarked ones to adopt. Reads only. */
import { UserError } from '../core/errors.js';
import { exportSpec, type ExportResult, type ExportSelection } from '../spec/export/index.js';
import { DEFAULT_PARALLELISM, readOnly } from '../hub/client.js';
import { parseSpec } from '../spec/merge.js';
import { STACK_PATTERN } from '../spec/schema.js';
import { connectHub, type ConnectedHub, type HubTarget } from './connect.js';
import type { Environment } from './environment.js';
import { writeSections, writeSpecText } from './write-entries.js';
import type { KindTable } from '../kinds/kind.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { exportResourceSections, type ExportedSections } from '../spec/export/resource-sections.js';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readResourceRecords } from './resource-planning.js';

export interface ExportOptions {
	/** The stack of the exported spec. */
	readonly stack: string | undefined;
	/** The stack's sessions (default), the unmarked ones, or both. */
	readonly select?: ExportSelection;
	/** Only sessions whose label, task or a metadata value contains this. */
	readonly search?: string;
	readonly parallelism?: number;
	/** The kinds exported beside sessions (default: the built-in table). */
	readonly table?: KindTable;
}

/** An exported spec, with the records of the other kinds the stack owns. */
export interface ExportedSpec extends ExportResult {
	/** Records of the other kinds exported, by the row's name, and their sections' entries. */
	readonly resources: ExportedSections;
}

/**
 * The spec text (valid as it is), warnings about what could not be exported, and the count:
 * sessions, then a section per other kind with the stack's records.
 */
export async function exportSessions(
	connected: ConnectedHub,
	options: ExportOptions
): Promise<ExportedSpec> {
	const stack = checkStack(options.stack);
	const search = options.search?.trim() || undefined;
	const live = await readOnly(connected.hub).readLiveSessions({
		parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
		...(search ? { search } : {}),
	});
	const select = options.select ?? 'stack';
	const table = options.table ?? BUILT_IN_KINDS;
	const records = await readResourceRecords(readOnly(connected.hub), table);
	// `--unmanaged` is the unmarked sessions alone: the stack's records of other kinds are in its
	// spec already, and writing them again into it would clash.
	const resources =
		select === 'unmanaged' ? NO_SECTIONS : exportResourceSections(table, stack, records);
	const sessions = exportSpec(live, {
		stack,
		select,
		...(search ? { search } : {}),
		// Without the stack's workspaces in the file, a session names its workspace by id.
		workspaceKeys:
			select === 'unmanaged'
				? new Map()
				: ownedKeys(table, 'workspace', stack, records, resources.leftOut),
		otherCounts: Object.entries(resources.counts)
			.filter(([, count]) => count > 0)
			.map(([kind, count]) => `${count} ${count === 1 ? kind : `${kind}s`}`),
	});
	const result: ExportedSpec = {
		...sessions,
		text: resources.text ? `${sessions.text}\n${resources.text}` : sessions.text,
		warnings: [...sessions.warnings, ...resources.warnings],
		resources,
	};
	// The file must load as it is: anything else is a bug here, not the user's to fix.
	const check = parseSpec([{ file: 'export', text: result.text }], table);
	if (!check.ok)
		throw new Error(`the exported spec does not validate: ${check.errors[0]?.message ?? ''}`);
	return result;
}

const NO_SECTIONS: ExportedSections = {
	text: '',
	blocks: [],
	counts: {},
	warnings: [],
	leftOut: [],
};

/** Whether a path exists: a file `--write` names is created only when it is not there. */
async function exists(path: string): Promise<boolean> {
	return stat(path).then(
		() => true,
		(error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return false;
			throw new UserError(`cannot read ${path} (${error.code ?? error.message})`);
		}
	);
}

/** Checked before the Hub is opened, so a bad stack costs no Hub call. */
export function checkStack(stack: string | undefined): string {
	if (stack === undefined) {
		throw new UserError(
			'name the stack of the exported spec with --stack STACK (with --unmanaged or --all too)'
		);
	}
	if (!STACK_PATTERN.test(stack)) {
		throw new UserError(
			`invalid --stack "${stack}": use lowercase letters, digits and dashes, starting with a letter`
		);
	}
	return stack;
}

export interface ExportFilesRequest extends ExportOptions {
	readonly target: HubTarget;
	/** `--write FILE`: add the exported entries to FILE instead (a missing FILE gets the whole spec). */
	readonly write?: string;
}

export interface Exported {
	readonly stack: string;
	readonly result: ExportedSpec;
	/** With `write`: the file the entries went to; absent when there were none to write. */
	readonly written?: string;
}

/**
 * Checks the stack (before the Hub is opened: a bad one costs no call), opens the Hub, exports,
 * and with `write` adds the entries to that file.
 */
export async function exportFiles(
	request: ExportFilesRequest,
	environment: Environment
): Promise<Exported> {
	const { target, write, ...options } = request;
	const stack = checkStack(options.stack);
	const connected = await connectHub(target, environment);
	try {
		const result = await exportSessions(connected, options);
		if (write === undefined) return { stack, result };
		const block = entriesBlock(result.text);
		const sessions = result.count > 0 && block !== undefined;
		if (!sessions && result.resources.blocks.length === 0) return { stack, result };
		const path = resolve(environment.cwd, write);
		// A new file is the printed spec, header and `prune: keep` included: entries added to a
		// bare spec would leave a partial export pruning the rest of the stack.
		if (!(await exists(path))) await writeSpecText(path, write, result.text);
		else {
			const sections = [
				...(sessions ? [{ section: 'sessions', entries: block }] : []),
				...result.resources.blocks,
			];
			await writeSections(write, environment.cwd, sections, stack);
		}
		return { stack, result, written: write };
	} finally {
		await connected.close();
	}
}

/** The entries of an exported spec: the lines under its `sessions:`, to the next section. */
function entriesBlock(text: string): string | undefined {
	const match = /^sessions:\n/m.exec(text);
	if (!match) return undefined;
	const rest = text.slice(match.index + match[0].length);
	const next = /^\S/m.exec(rest);
	return next ? rest.slice(0, next.index).replace(/\n+$/, '\n') : rest;
}

/** The ids of the stack's records of one kind, with their entry keys (but for those left out). */
function ownedKeys(
	table: KindTable,
	kind: string,
	stack: string,
	records: ReadonlyMap<string, readonly unknown[]>,
	leftOut: readonly string[]
): Map<string, string> {
	const row = resourceRows(table).find((each) => each.name === kind);
	const keys = new Map<string, string>();
	if (!row) return keys;
	for (const record of records.get(kind) ?? []) {
		const owner = row.ownerOf(record);
		if (owner?.stack === stack && !leftOut.includes(row.idOf(record)))
			keys.set(row.idOf(record), owner.key);
	}
	return keys;
}
