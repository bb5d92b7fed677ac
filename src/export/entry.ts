/**
 * One live session as a spec entry: every field the Hub echoes, written so that planning the
 * entry against the same session shows no change. Pure. Env values are never known here: each
 * env key becomes a `${KEY}` reference to the variable of the same name.
 */
import { shortDigest } from '../ownership/digest.js';
import { MARKER, MARKER_PREFIX } from '../ownership/markers.js';
import { parseEnvStamp, parseStamp, stampedTemplateMatches } from '../ownership/stamp.js';
import { ENV_NAME_PATTERN } from '../session/env-template.js';
import { REPO_SHORTHAND_PATTERN } from '../spec/schema-fields.js';
import type { RepoRef } from '../session/desired.js';
import { normalizeVisibility } from '../spec/visibility.js';
import type { FieldName } from '../session/fields.js';
import type { LiveSession } from '../session/live.js';

export interface ExportedEntry {
	/** Spec fields in the order they are written. */
	readonly fields: Record<string, unknown>;
	/** Env variables the entry reads. */
	readonly envVariables: readonly string[];
	/** Why something was left out or will not round-trip; shown as comments and on stderr. */
	readonly notes: readonly string[];
}

export function exportEntry(
	session: LiveSession,
	options: { readonly adopt: boolean }
): ExportedEntry {
	const notes: string[] = [];
	const stamp = parseStamp(session.metadata[MARKER.applied]);
	// Fields compared through the stamp only: written when the stamp agrees, so plan sees no change.
	const stamped = (field: FieldName, value: unknown): unknown => {
		const applied = stamp?.h[field];
		if (value === undefined || applied === undefined || applied === shortDigest(value))
			return value;
		notes.push(`${field} left out: the Hub's value differs from the one last applied`);
		return undefined;
	};
	const task = session.task ?? '';
	const visibility = normalizeVisibility(session.visibility);
	if (visibility === undefined)
		notes.push(`visibility left out: ${JSON.stringify(session.visibility)} is not a spec value`);
	const { env, envVariables } = exportEnv(session, notes);
	const fields: Record<string, unknown> = {
		adopt: options.adopt ? session.id : undefined,
		// The Hub derives a label from the task when none is given: repeating it adds nothing.
		label: session.label !== '' && session.label !== task.trim() ? session.label : undefined,
		task,
		tags: session.tags.length > 0 ? [...new Set(session.tags)] : undefined,
		visibility,
		workflowMode: session.workflowMode === 'loop' ? 'loop' : undefined,
		defaultAgent: session.defaultAgent,
		enabledAgents: session.enabledAgents.length > 0 ? [...session.enabledAgents] : undefined,
		repo: repoValue(stamped('repo', session.repo) as RepoRef | undefined),
		repos: (stamped('repos', session.repos) as RepoRef[] | undefined)?.map(repoValue),
		workspaceId: stamped('workspaceId', session.workspaceId),
		metadata: userMetadata(session, notes),
		env,
		protect: session.metadata[MARKER.protect] === 'true' ? true : undefined,
	};
	return { fields: defined(fields), envVariables, notes };
}

/** `owner/name#branch` where that says it all, the mapping otherwise. */
function repoValue(repo: RepoRef | undefined): string | RepoRef | undefined {
	if (!repo) return undefined;
	const { owner, name, branch, ...rest } = repo;
	const short = `${owner}/${name}${branch === undefined ? '' : `#${branch}`}`;
	const plain = Object.values(rest).every((value) => value === undefined);
	return plain && REPO_SHORTHAND_PATTERN.test(short) ? short : defined({ ...repo });
}

function userMetadata(session: LiveSession, notes: string[]): Record<string, string> | undefined {
	const keys = Object.keys(session.metadata)
		.filter((key) => !key.startsWith(MARKER_PREFIX))
		.sort();
	if (keys.includes('')) notes.push('metadata with an empty key left out');
	const metadata: Record<string, string> = {};
	for (const key of keys) if (key !== '') metadata[key] = session.metadata[key] ?? '';
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
