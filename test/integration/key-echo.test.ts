/**
 * A Hub (or a proxy before it) that echoes the API key into what it answers: every output of
 * the built CLI, markdown included, shows it redacted, in no form a reader can decode. Local Hub
 * on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { cli, hubForTest, useTempDir, writeSpec } from '../support/local-hub.js';

/** Underscores and dashes: characters markdown escapes. */
const KEY = 'sk_live_Echoed_Key-0123_abcd';

/** The text as a reader of the rendered markdown reads it: every HTML entity decoded. */
function decoded(text: string): string {
	return text
		.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
		.replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)))
		.replace(
			/&(amp|lt|gt|quot);/g,
			(_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[name]!
		);
}

describe('the API key echoed in a session the Hub lists', () => {
	const dir = useTempDir();

	it('is redacted in the markdown plan, a pull-request comment', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { token: KEY });
		const env = { AGENTUITY_SDK_KEY: KEY };
		// The session's label holds the key, as a Hub echoing the request would have it.
		const withEcho = await writeSpec(dir.path, 'echo.yaml', {
			stack: 'echo',
			prune: 'archive',
			sessions: { vault: { task: 'Reads the vault.', label: `echo-echo-echo ${KEY}` } },
		});
		const applied = await cli(hub, ['apply', '--auto-approve', '--no-repo-check', '-f', withEcho], {
			env,
			cwd: dir.path,
		});
		expect(applied.code, applied.stderr).toBe(0);
		// Without it in the spec, the plan shows the live session (its label) to archive.
		const without = await writeSpec(dir.path, 'echo.yaml', {
			stack: 'echo',
			prune: 'archive',
			sessions: { other: { task: 'Something else.' } },
		});
		for (const format of ['markdown', 'text', 'json']) {
			const result = await cli(
				hub,
				['plan', '--no-repo-check', '--format', format, '-f', without],
				{ env, cwd: dir.path }
			);
			expect(result.code, result.stderr).toBe(0);
			expect(result.stdout).toContain('[redacted]');
			expect(decoded(result.stdout + result.stderr)).not.toContain(KEY);
		}
		// The status table cuts a label to its column: the cut may not leave part of the key.
		const status = await cli(hub, ['status', '-f', without], { env, cwd: dir.path });
		expect(status.code, status.stderr).toBe(0);
		expect(status.stdout).toContain('[redacted]');
		expect(status.stdout).not.toContain(KEY.slice(0, 10));
	});
});
