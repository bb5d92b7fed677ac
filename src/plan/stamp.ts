/**
 * The `coder-sessions/applied` stamp: per-field digests of what was last applied, so that
 * create-time fields the Hub does not echo (env, repo, sandbox, ...) can still be compared.
 * Env values appear only as salted scrypt hashes, never in clear and never as a plain hash.
 */
import { scrypt as scryptCallback, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { IGNORABLE_FIELDS, type DesiredSession, type IgnorableField } from '../spec/types.js';
import { shortDigest } from './canonical.js';
import type { FieldName } from './types.js';

const scrypt = promisify(scryptCallback) as (
	password: string,
	salt: string,
	keylen: number,
	options: { N: number; r: number; p: number }
) => Promise<Buffer>;

/** Cost of the env value hash: slow enough to make guessing a secret expensive, fast enough for plans of thousands. */
const SCRYPT_OPTIONS = { N: 1 << 13, r: 8, p: 1 } as const;

export interface EnvKeyStamp {
	/** Digest of the template as written in the spec (not secret). */
	readonly t: string;
	/** Salted scrypt hash of the resolved value, when it was known. */
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
	readonly v: 1;
	/** The salt of the value hashes. */
	readonly s: string;
	readonly k: Readonly<Record<string, EnvKeyStamp>>;
}

export type StampedField = Exclude<IgnorableField, 'env'>;

/** Fields recorded by digest: every field plan compares, but env and protect (their own markers). */
export const STAMPED_FIELDS: readonly StampedField[] = IGNORABLE_FIELDS.filter(
	(field): field is StampedField => field !== 'env'
);

/** The value of a field as the spec declares it, normalised for comparison. */
export function desiredFieldValue(desired: DesiredSession, field: StampedField): unknown {
	switch (field) {
		case 'tags':
			return [...new Set(desired.tags)].sort();
		case 'enabledAgents':
			return desired.enabledAgents ? [...new Set(desired.enabledAgents)].sort() : undefined;
		case 'metadata':
			return desired.metadata;
		default:
			return desired[field];
	}
}

export function fieldDigests(desired: DesiredSession): AppliedStamp['h'] {
	const digests: Partial<Record<FieldName, string>> = {};
	for (const field of STAMPED_FIELDS)
		digests[field] = shortDigest(desiredFieldValue(desired, field));
	return digests;
}

/**
 * A template may hold a literal value, so its digest is salted with the env stamp's salt: never a
 * plain hash of anything that could be a secret.
 */
export function envTemplateDigest(salt: string, key: string, template: string): string {
	return shortDigest({ salt, key, template });
}

export async function envValueHash(salt: string, key: string, value: string): Promise<string> {
	const hash = await scrypt(`${key}\u0000${value}`, salt, 16, SCRYPT_OPTIONS);
	return hash.toString('hex');
}

export function newSalt(): string {
	return randomBytes(12).toString('hex');
}

export function buildStamp(desired: DesiredSession): AppliedStamp {
	return { v: 1, h: fieldDigests(desired) };
}

/** The env stamp written on create; `resolvedEnv` holds the values being sent. */
export async function buildEnvStamp(
	desired: DesiredSession,
	resolvedEnv: Readonly<Record<string, string>>,
	salt: string = newSalt()
): Promise<AppliedEnvStamp | undefined> {
	const keys: Record<string, EnvKeyStamp> = {};
	for (const [key, template] of Object.entries(desired.env)) {
		const value = resolvedEnv[key];
		keys[key] = {
			t: envTemplateDigest(salt, key, template),
			...(value === undefined ? {} : { v: await envValueHash(salt, key, value) }),
		};
	}
	return Object.keys(keys).length > 0 ? { v: 1, s: salt, k: keys } : undefined;
}

export function formatStamp(stamp: AppliedStamp | AppliedEnvStamp): string {
	return JSON.stringify(stamp);
}

/** Reads a stamp from metadata; anything unreadable counts as no stamp. */
export function parseStamp(text: string | undefined): AppliedStamp | undefined {
	const value = parseJson(text) as AppliedStamp | undefined;
	return value && value.v === 1 && isObject(value.h) ? value : undefined;
}

export function parseEnvStamp(text: string | undefined): AppliedEnvStamp | undefined {
	const value = parseJson(text) as AppliedEnvStamp | undefined;
	return value && value.v === 1 && typeof value.s === 'string' && isObject(value.k)
		? value
		: undefined;
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
