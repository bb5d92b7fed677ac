/**
 * The key of env digests: HMAC-SHA256 with a secret the Hub never sees
 * (`CODER_SESSIONS_ENV_KEY`, a random value of at least 32 bytes). A digest made with it cannot
 * be tested against guesses by anyone without the key, however short the value. Without the
 * key, no value digest is made at all.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const ENV_KEY_VARIABLE = 'CODER_SESSIONS_ENV_KEY';

/** Below this many characters the key is still used, with a warning (see keyWarning). */
const RECOMMENDED_KEY_LENGTH = 32;

export interface EnvKey {
	/** A public id of the key (an HMAC of a fixed label), so a digest made with another key reads as not comparable. */
	readonly id: string;
	readonly secret: Buffer;
}

const KEY_ID_LABEL = 'coder-sessions/env-key-id';

export function envKeyFrom(secret: string | Buffer): EnvKey {
	const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
	return { id: hmacHex(bytes, KEY_ID_LABEL).slice(0, 16), secret: bytes };
}

/** The key set in the environment; undefined when unset or empty. */
export function envKeyOf(env: Readonly<Record<string, string | undefined>>): EnvKey | undefined {
	const secret = env[ENV_KEY_VARIABLE];
	return secret ? envKeyFrom(secret) : undefined;
}

/** A warning for a key too short to be a good secret; undefined when it is fine or unset. */
export function keyWarning(env: Readonly<Record<string, string | undefined>>): string | undefined {
	const secret = env[ENV_KEY_VARIABLE];
	if (!secret || secret.length >= RECOMMENDED_KEY_LENGTH) return undefined;
	return `warning: ${ENV_KEY_VARIABLE} is shorter than ${RECOMMENDED_KEY_LENGTH} characters; use a random value of at least 32 bytes (e.g. \`openssl rand -hex 32\`)`;
}

/** A keyed digest of the given parts (unambiguous: the parts are JSON-encoded together). */
export function keyedDigest(key: EnvKey, ...parts: readonly string[]): string {
	return hmacHex(key.secret, JSON.stringify(parts)).slice(0, 32);
}

/**
 * A key of this process alone, never written anywhere: digests made with it compare values
 * within one run (the Hub's echo of a value with the value resolved here) and mean nothing later.
 */
const PROCESS_KEY: EnvKey = envKeyFrom(randomBytes(32));

export function echoDigest(envKey: string, value: string): string {
	return keyedDigest(PROCESS_KEY, 'echo', envKey, value);
}

function hmacHex(secret: Buffer, text: string): string {
	return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}
