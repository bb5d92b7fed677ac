/**
 * One live session as a spec entry: every field the Hub echoes (the field table's `echo`),
 * written so that planning the entry against the same session shows no change. Pure. Env values are never known here: each
 * env key becomes a `${KEY}` reference to the variable of the same name.
 */
import { shortDigest } from '../../ownership/digest.js';
import { MARKER, MARKER_PREFIX } from '../../ownership/markers.js';
import { parseEnvStamp, parseStamp, stampedTemplateMatches } from '../../ownership/stamp.js';
import { ENV_NAME_PATTERN } from '../../kinds/session/env-template.js';
import { FIELD_TABLE, isLeftOut, type StampedField } from '../../kinds/session/fields/index.js';
import type { LiveSession } from '../../kinds/session/live.js';
import { holdsSecret } from '../../core/secrets/redact.js';
import { firstNonPrintable, unicodeName } from '../printable.js';
import { holdsReference, literalValue, UNWRITABLE_TEXT } from '../templates/substitute.js';

export interface ExportedEntry {
	/** Spec fields in the order they are written. */
	readonly fields: Record<string, unknown>;
	/** Env variables the entry reads. */
	readonly envVariables: readonly string[];
	/** Why something was left out or will not round-trip; shown as comments and on stderr. */
	readonly notes: readonly string[];
}

/** The stamp's digest of a field the entry left unset. */
const UNSET_DIGEST = shortDigest(undefined);

export function exportEntry(
	session: LiveSession,
	options: {
		readonly adopt: boolean;
		/** Workspace ids of the stack's exported workspaces, by id: written as `workspace: KEY`. */
		readonly workspaceKeys?: ReadonlyMap<string, string>;
	}
): ExportedEntry {
	const notes: string[] = [];
	const stamp = parseStamp(session.metadata[MARKER.applied]);
	const fields: Record<string, unknown> = {};
	const entries: Record<string, unknown> = {};
	for (const row of FIELD_TABLE) {
		// Env is written by key below; fields the Hub does not echo are named in the header.
		if (row.compare === 'env' || row.echo === undefined) continue;
		if (row.compare === 'keys') {
			entries[row.name] = userMetadata(session, notes);
			continue;
		}
		const echo = row.echo(session);
		if (echo === undefined) continue;
		// The Hub adds to this echo what other fields brought (a bucket's skills): written as it
		// is, it would ask for them again on their own.
		const set = (field: string) => {
			const digest = stamp?.h[field as StampedField];
			return digest !== undefined && digest !== UNSET_DIGEST;
		};
		const addedBy = row.echoAddedBy?.filter(set);
		if (addedBy && addedBy.length > 0 && !set(row.name)) {
			notes.push(`${row.name} left out: the Hub adds them from ${addedBy.join(', ')}`);
			continue;
		}
		// A normalised echo is written only while the stamp agrees, so plan sees no change.
		const applied = stamp?.h[row.name as StampedField];
		if (row.echoNormalised && applied !== undefined && applied !== shortDigest(echo)) {
			notes.push(`${row.name} left out: the Hub's value differs from the one last applied`);
			continue;
		}
		const value = row.exportValue ? row.exportValue(echo, session) : echo;
		if (isLeftOut(value)) notes.push(`${row.name} left out: ${value.leftOut}`);
		else {
			const written = specValue(value);
			if ('leftOut' in written) notes.push(`${row.name} left out: ${written.leftOut}`);
			else fields[row.name] = written.value;
		}
	}
	const workspaceKey =
		typeof fields.workspaceId === 'string'
			? options.workspaceKeys?.get(fields.workspaceId)
			: undefined;
	if (workspaceKey !== undefined) {
		delete fields.workspaceId;
		fields.workspace = workspaceKey;
	}
	const { env, envVariables } = exportEnv(session, notes);
	// People name a session by its label and task: those lead the entry.
	const { label, task, ...rest } = fields;
	const written: Record<string, unknown> = {
		adopt: options.adopt ? session.id : undefined,
		label,
		task,
		...rest,
		...entries,
		env,
		protect: session.metadata[MARKER.protect] === 'true' ? true : undefined,
	};
	return { fields: defined(written), envVariables, notes };
}

function userMetadata(session: LiveSession, notes: string[]): Record<string, string> | undefined {
	const keys = Object.keys(session.metadata)
		.filter((key) => !key.startsWith(MARKER_PREFIX))
		.sort();
	if (keys.includes('')) notes.push('metadata with an empty key left out');
	const metadata: Record<string, string> = {};
	for (const key of keys) {
		if (key === '') continue;
		const value = session.metadata[key] ?? '';
		const unprintable = firstNonPrintable(key, false);
		const written: SpecValue = unprintable
			? { leftOut: cannotHold(unprintable) }
			: holdsReference(key)
				? { leftOut: 'a spec key cannot hold a placeholder (${var.*} or ${each.*})' }
				: specValue({ [key]: value });
		if ('leftOut' in written)
			notes.push(`metadata ${JSON.stringify(key)} left out: ${written.leftOut}`);
		else metadata[key] = (written.value as Record<string, string>)[key] ?? '';
	}
	return Object.keys(metadata).length > 0 ? metadata : undefined;
}

/** The env keys plan compares (the env stamp's, else the Hub's), each reading its namesake. */
function exportEnv(session: LiveSession, notes: string[]) {
	const envStamp = parseEnvStamp(session.metadata[MARKER.appliedEnv]);
	const keys = envStamp ? Object.keys(envStamp.k).sort() : [...session.envKeys];
	const env: Record<string, string> = {};
	for (const key of keys) {
		if (!ENV_NAME_PATTERN.test(key)) {
			notes.push(`env ${JSON.stringify(key)} left out: not a valid variable name`);
			continue;
		}
		const reference = `\${${key}}`;
		env[key] = reference;
		if (envStamp && stampedTemplateMatches(envStamp, key, reference, undefined) === false) {
			notes.push(
				`env.${key} was applied from a template other than ${reference}: write the original template, or plan will replace the session (unless ${key} holds the applied value and CODER_SESSIONS_ENV_KEY is set as when it was applied)`
			);
		}
	}
	const envVariables = Object.keys(env);
	return { env: envVariables.length > 0 ? env : undefined, envVariables };
}

function defined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The first character a spec cannot hold in any string of `value` (YAML's printable set). */
export function unprintableIn(value: unknown): string | undefined {
	if (typeof value === 'string') return firstNonPrintable(value, true);
	if (Array.isArray(value)) {
		for (const item of value) {
			const found = unprintableIn(item);
			if (found) return found;
		}
		return undefined;
	}
	if (value && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) {
			const found = firstNonPrintable(key, false) ?? unprintableIn(item);
			if (found) return found;
		}
	}
	return undefined;
}

/**
 * Why a spec file cannot be given `value`, if it cannot: a character YAML does not allow, or a
 * secret this process knows (an env value, the API key) that the Hub echoed into it. Output
 * shows such a secret as `[redacted]`; a file written for git must not hold it at all.
 */
export function unwritable(value: unknown): string | undefined {
	const unprintable = unprintableIn(value);
	if (unprintable) return cannotHold(unprintable);
	if (holdsSecret(value))
		return "the Hub's value holds a secret (an env value or the API key), which is never written";
	return undefined;
}

/** A value as a spec file must write it to read it back, or why no spec file can hold it. */
export type SpecValue = { readonly value: unknown } | { readonly leftOut: string };

export function specValue(value: unknown): SpecValue {
	const leftOut = unwritable(value);
	if (leftOut) return { leftOut };
	// A ${var.*} or ${each.*} in the Hub's text is written escaped, or a template would read it.
	const written = literalValue(value);
	return written === undefined && value !== undefined
		? { leftOut: UNWRITABLE_TEXT }
		: { value: written };
}

export function cannotHold(char: string): string {
	return `the Hub's value contains ${unicodeName(char)}, which a spec cannot hold`;
}
