/**
 * `export`: live sessions as a spec that plans to no change against the Hub it came from. Pure:
 * the CLI reads the Hub, this picks the sessions, names them and writes the YAML.
 *
 * - `stack`: the active sessions of the stack, under the keys their markers carry.
 * - `unmanaged`: the active unmarked sessions, under keys derived from their labels, each with
 *   `adopt:` so that applying the file adopts them rather than creating copies.
 * - `all`: both. Sessions of other stacks are never exported: they are another spec's, nor
 *   sessions the Hub spawned from others (workers, derived sessions): they are no stack's.
 */
import { MARKER } from '../../ownership/markers.js';
import { NOT_ECHOED_FIELDS } from '../../kinds/session/fields/index.js';
import { SESSION_KEY_PATTERN } from '../schema.js';
import { entrySnippet, specDocument } from './document.js';
import { exportEntry, unwritable, type ExportedEntry } from './entry.js';
import { deriveKeys } from './keys.js';
import { literalText, UNWRITABLE_TEXT } from '../templates/substitute.js';
import { keptSession, managedByKey } from '../../ownership/key-groups.js';
import type { LiveSession } from '../../kinds/session/live.js';

export { slugify, deriveKeys } from './keys.js';
export { SCHEMA_MODELINE } from './document.js';

export type ExportSelection = 'stack' | 'unmanaged' | 'all';

export interface ExportRequest {
	/** The stack of the exported spec; `stack` and `all` export its sessions. */
	readonly stack: string;
	readonly select: ExportSelection;
	/** Only sessions whose label, task or a metadata value contains this (case-insensitive). */
	readonly search?: string;
	/** The ids of the workspaces exported beside the sessions, with their keys. */
	readonly workspaceKeys?: ReadonlyMap<string, string>;
	/** The records of other kinds exported beside the sessions, counted (`2 skills`). */
	readonly otherCounts?: readonly string[];
}

export interface ExportResult {
	readonly text: string;
	readonly count: number;
	/** `key: note` for everything left out or that will not round-trip. */
	readonly warnings: readonly string[];
}

/** The fields the SDK's session detail does not hold, as the field table says. */
const NOT_ECHOED = listText(NOT_ECHOED_FIELDS);

function listText(names: readonly string[]): string {
	return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const isUnmarked = (s: LiveSession) =>
	!s.spawned && (s.metadata[MARKER.stack] === undefined || s.metadata[MARKER.key] === undefined);

export function exportSpec(live: readonly LiveSession[], request: ExportRequest): ExportResult {
	const active = live.filter((session) => !session.archived);
	const warnings: string[] = [];
	const chosen = new Map<string, { session: LiveSession; adopt: boolean }>();

	const managed = exportedByKey(active, request.stack, warnings);
	if (request.select !== 'unmanaged') {
		for (const [key, session] of managed) chosen.set(key, { session, adopt: false });
	}
	if (request.select !== 'stack') {
		for (const [id, key] of adoptionKeys(active, request.stack)) {
			const session = active.find((s) => s.id === id);
			if (session) chosen.set(key, { session, adopt: true });
		}
	}

	const entries = new Map<string, ExportedEntry>();
	for (const key of [...chosen.keys()].sort()) {
		const { session, adopt } = chosen.get(key)!;
		if (request.search !== undefined && !matches(session, request.search)) continue;
		if (!session.task?.trim()) {
			warnings.push(`${key}: left out: the Hub did not return the task of ${session.id}`);
			continue;
		}
		const leftOut = unwritable(session.task);
		if (leftOut) {
			warnings.push(`${key}: left out: the task of ${session.id}: ${leftOut}`);
			continue;
		}
		if (literalText(session.task) === undefined) {
			warnings.push(`${key}: left out: the task of ${session.id}: ${UNWRITABLE_TEXT}`);
			continue;
		}
		const entry = exportEntry(session, {
			adopt,
			...(request.workspaceKeys ? { workspaceKeys: request.workspaceKeys } : {}),
		});
		entries.set(key, entry);
		for (const note of entry.notes) warnings.push(`${key}: ${note}`);
	}

	// A file holding part of a stack must not archive the rest of it.
	const partial = request.search !== undefined || request.select === 'unmanaged';
	const text = specDocument({
		stack: request.stack,
		...(partial ? { prune: 'keep' as const } : {}),
		header: headerLines(request, entries, partial),
		entries,
	});
	return { text, count: entries.size, warnings };
}

/**
 * Keys for the active unmarked sessions (and `extra` ones, e.g. of another stack), derived from
 * their labels; the keys of the stack's active sessions are never given out.
 */
export function adoptionKeys(
	live: readonly LiveSession[],
	stack: string,
	extra: readonly LiveSession[] = []
): Map<string, string> {
	const active = live.filter((session) => !session.archived);
	const reserved = active
		.filter((s) => s.metadata[MARKER.stack] === stack && s.metadata[MARKER.key] !== undefined)
		.map((s) => s.metadata[MARKER.key] as string);
	const extraIds = new Set(extra.map((session) => session.id));
	const candidates = [...active.filter((s) => isUnmarked(s) && !extraIds.has(s.id)), ...extra];
	return deriveKeys(candidates, reserved);
}

/** The spec entry to paste for adopting `session` as `key` (what `import` prints). */
export function adoptionSnippet(session: LiveSession, key: string): string {
	return entrySnippet(key, exportEntry(session, { adopt: true }));
}

/** The stack's active sessions by key; of duplicates, the one plan keeps (it archives the others). */
function exportedByKey(
	active: readonly LiveSession[],
	stack: string,
	warnings: string[]
): Map<string, LiveSession> {
	const byKey = new Map<string, LiveSession>();
	for (const [key, sessions] of managedByKey(stack, active)) {
		const kept = keptSession(sessions);
		if (!kept) continue;
		const duplicates = sessions.filter((session) => session !== kept);
		if (!SESSION_KEY_PATTERN.test(key)) {
			warnings.push(
				`${JSON.stringify(key)}: left out: ${kept.id} carries a key the spec cannot hold`
			);
			continue;
		}
		byKey.set(key, kept);
		for (const duplicate of duplicates) {
			warnings.push(
				`${key}: ${duplicate.id} duplicates ${kept.id}, which is exported; plan will archive the duplicate`
			);
		}
	}
	return byKey;
}

function matches(session: LiveSession, search: string): boolean {
	const text = [session.label, session.task ?? '', ...Object.values(session.metadata)]
		.join('\n')
		.toLowerCase();
	return text.includes(search.toLowerCase());
}

function headerLines(
	request: ExportRequest,
	entries: ReadonlyMap<string, ExportedEntry>,
	partial: boolean
): string[] {
	const variables = [
		...new Set([...entries.values()].flatMap((entry) => entry.envVariables)),
	].sort();
	const count = [
		entries.size === 1 ? '1 session' : `${entries.size} sessions`,
		...(request.otherCounts ?? []),
	].join(', ');
	const lines = [
		`Exported from the Hub by coder-sessions export: ${count} for stack ${request.stack}.`,
	];
	if (variables.length > 0) {
		lines.push(
			'Env values are never exported (the Hub does not echo them): each env entry reads the',
			`variable of its name at apply time. Set before apply: ${variables.join(', ')}.`
		);
	}
	lines.push(`Not exported, as the Hub does not echo them: ${NOT_ECHOED}.`);
	if (request.select !== 'stack') {
		lines.push(
			'Entries with adopt: take over that existing session on apply instead of creating one.'
		);
	}
	if (partial)
		lines.push(
			'prune: keep, as this file holds only part of the stack: apply leaves the rest alone.'
		);
	return lines;
}
