/**
 * The `coder-sessions/applied` stamp: per-field digests of what was last applied, so that
 * create-time fields the Hub does not echo (env, repo, sandbox, ...) can still be compared.
 * Env is recorded by the digest of each template's structure (variable names and where literal
 * text sits, never the text) and, with CODER_SESSIONS_ENV_KEY set, by HMAC digests of the
 * template and of the value: nothing in it can be tested against guesses without the key.
 */
import { keyedDigest, type EnvKey } from '../core/secrets/env-key.js';
import { isStructureOnly, templateStructure } from '../kinds/session/env-template.js';
import type { DesiredSession } from '../kinds/session/desired.js';
import { shortDigest } from './digest.js';
import {
	STAMPED_FIELDS,
	desiredFieldValue,
	type FieldName,
} from '../kinds/session/fields/index.js';

export interface EnvKeyStamp {
	/** Digest of the template's structure (not secret). */
	readonly s: string;
	/** Keyed digest of the template as written, when a key was set. */
	readonly t?: string;
	/** Keyed digest of the resolved value, when a key was set and the value known. */
	readonly v?: string;
}

export interface AppliedStamp {
	readonly v: 1;
	/** Digest of each field's desired value as applied. */
	readonly h: Partial<Record<FieldName, string>>;
}

/**
 * Env as applied, in a marker of its own: env is fixed at creation, so only a create writes it
 * and an update (a metadata merge) leaves it as it was.
 */
export interface AppliedEnvStamp {
	readonly v: 2;
	/** The id of the key the keyed digests were made with; absent when none was set. */
	readonly i?: string;
	readonly k: Readonly<Record<string, EnvKeyStamp>>;
}

/**
 * The stamp earlier versions wrote: a public salt beside scrypt hashes of the values. Read only:
 * its value hashes are never compared (a plan treats them as not comparable), its template
 * digests still are.
 */
export interface LegacyEnvStamp {
	readonly v: 1;
	readonly s: string;
	readonly k: Readonly<Record<string, { readonly t: string; readonly v?: string }>>;
}

export function fieldDigests(desired: DesiredSession): AppliedStamp['h'] {
	const digests: Partial<Record<FieldName, string>> = {};
	for (const field of STAMPED_FIELDS)
		digests[field] = shortDigest(desiredFieldValue(desired, field));
	return digests;
}

export function envStructureDigest(envKey: string, template: string): string {
	return shortDigest({ envKey, structure: templateStructure(template) });
}

export function envTemplateKeyed(key: EnvKey, envKey: string, template: string): string {
	return keyedDigest(key, 'template', envKey, template);
}

export function envValueKeyed(key: EnvKey, envKey: string, value: string): string {
	return keyedDigest(key, 'value', envKey, value);
}

/** The template digest of a v1 stamp (salted, computable by anyone: read, never written). */
export function legacyTemplateDigest(salt: string, envKey: string, template: string): string {
	return shortDigest({ salt, key: envKey, template });
}

export function buildStamp(desired: DesiredSession): AppliedStamp {
	return { v: 1, h: fieldDigests(desired) };
}

/** The env stamp written on create (or adopt); `resolvedEnv` holds the values being sent. */
export function buildEnvStamp(
	desired: DesiredSession,
	resolvedEnv: Readonly<Record<string, string>>,
	key: EnvKey | undefined
): AppliedEnvStamp | undefined {
	const keys: Record<string, EnvKeyStamp> = {};
	for (const [envKey, template] of Object.entries(desired.env)) {
		const value = resolvedEnv[envKey];
		keys[envKey] = {
			s: envStructureDigest(envKey, template),
			...(key ? { t: envTemplateKeyed(key, envKey, template) } : {}),
			...(key && value !== undefined ? { v: envValueKeyed(key, envKey, value) } : {}),
		};
	}
	if (Object.keys(keys).length === 0) return undefined;
	return key ? { v: 2, i: key.id, k: keys } : { v: 2, k: keys };
}

export function formatStamp(stamp: AppliedStamp | AppliedEnvStamp): string {
	return JSON.stringify(stamp);
}

/** Reads a stamp from metadata; anything unreadable counts as no stamp. */
export function parseStamp(text: string | undefined): AppliedStamp | undefined {
	const value = parseJson(text) as AppliedStamp | undefined;
	return value && value.v === 1 && isObject(value.h) ? value : undefined;
}

/** The env stamp of either version; anything unreadable counts as no stamp. */
export function parseEnvStamp(
	text: string | undefined
): AppliedEnvStamp | LegacyEnvStamp | undefined {
	const value = parseJson(text) as AppliedEnvStamp | LegacyEnvStamp | undefined;
	if (!value || !isObject(value.k)) return undefined;
	if (value.v === 2) return value;
	return value.v === 1 && typeof value.s === 'string' ? value : undefined;
}

/**
 * Whether the spec's template is the one the stamp recorded, by the strongest digest both sides
 * have: keyed with the same key, else the structure; a v1 stamp by its salted digest.
 */
export function stampedTemplateMatches(
	stamp: AppliedEnvStamp | LegacyEnvStamp,
	envKey: string,
	template: string,
	key: EnvKey | undefined
): boolean | undefined {
	const entry = stamp.k[envKey];
	if (!entry) return undefined;
	if (stamp.v === 1) return entry.t === legacyTemplateDigest(stamp.s, envKey, template);
	const stamped = entry as EnvKeyStamp;
	// A template read back from a saved plan has no literal text left: its structure still compares.
	if (key && stamp.i === key.id && stamped.t !== undefined && !isStructureOnly(template))
		return stamped.t === envTemplateKeyed(key, envKey, template);
	return stamped.s === envStructureDigest(envKey, template);
}

function parseJson(text: string | undefined): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		// An edited or foreign value: treated as absent, the live values still compare.
		return undefined;
	}
}

function isObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null;
}
