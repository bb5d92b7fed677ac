/**
 * `CODER_SESSIONS_ENV_KEY` as plan reads it: a key shorter than 32 characters is used, with a
 * warning; an empty one is no key at all. The saved plan names the key by its id, the same for
 * the same key and another for another key, and never holds the key itself.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hubForTest, useTempDir, writeSpec, type TestHub } from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const RUN_TIMEOUT_MS = 90_000;
const SPEC = {
	stack: 'env-key',
	sessions: { a: { task: 'Uses a token.', env: { AUTH: 'Bearer ${TOKEN}' } } },
};
const WARNING = 'warning: CODER_SESSIONS_ENV_KEY is shorter than 32 characters';

describe('CODER_SESSIONS_ENV_KEY', { timeout: 240_000 }, () => {
	const dir = useTempDir('env-key-it-');

	/** `plan --out` with this key (undefined: unset), and the saved plan's env. */
	async function planWith(hub: TestHub, name: string, key: string | undefined) {
		const file = await writeSpec(dir.path, `${name}.yaml`, SPEC);
		const result = await cli(hub, ['plan', '-f', file, '--out', `${name}.plan`], {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
			env: { TOKEN: 'token-value', CODER_SESSIONS_ENV_KEY: key },
		});
		expectExit(result, 0);
		const text = await readFile(join(dir.path, `${name}.plan`), 'utf8');
		const saved = JSON.parse(text) as { env: { keyId?: string; values: object } };
		return { result, text, env: saved.env };
	}

	it('shorter than 32 characters: used, with a warning that says how to make one', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const short = 'k'.repeat(31);
		const { result, text, env } = await planWith(hub, 'short', short);
		expect(result.stderr).toContain(
			`${WARNING}; use a random value of at least 32 bytes (e.g. \`openssl rand -hex 32\`)`
		);
		expect(env.keyId).toMatch(/^[0-9a-f]{16}$/);
		expect(env.values).toEqual({ a: { AUTH: expect.stringMatching(/^[0-9a-f]{32}$/) } });
		expect(text).not.toContain(short);
		expect(result.stdout + result.stderr).not.toContain(short);
	});

	it('of 32 characters or more: no warning; the id is the same for the same key, another for another', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const key = 'k'.repeat(32);
		const first = await planWith(hub, 'exact', key);
		const again = await planWith(hub, 'again', key);
		const other = await planWith(hub, 'other', 'j'.repeat(32));
		for (const { result } of [first, again, other]) {
			expect(result.stderr).not.toContain('CODER_SESSIONS_ENV_KEY is shorter');
		}
		// The same in every release: sessions applied by an earlier one with this key still compare
		// by value, never as made with another key.
		expect(first.env.keyId).toBe('f4f92aa525bf9bb2');
		expect(first.env.values).toEqual({ a: { AUTH: '53086fb94619ce76023034e2109512b3' } });
		expect(again.env).toEqual(first.env);
		expect(other.env.keyId).not.toBe(first.env.keyId);
		expect(other.env.values).not.toEqual(first.env.values);
	});

	it('empty: no key, no warning, and no digest in the saved plan', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		for (const [name, key] of [
			['empty', ''],
			['unset', undefined],
		] as const) {
			const { result, env } = await planWith(hub, name, key);
			expect(result.stderr).not.toContain('CODER_SESSIONS_ENV_KEY is shorter');
			expect(env).toEqual({ values: {}, templates: {} });
		}
	});
});
