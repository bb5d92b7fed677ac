/**
 * A saved plan is bound to the org it was made for: applied at the same Hub URL under another
 * `--org`, it is refused before any read or write (exit 4, "made for another Hub"), and `show`
 * says so. The local Hub answers for any org, so one Hub stands for both.
 */
import { describe, expect, it } from 'vitest';
import { cli, hubForTest, useTempDir, writeSpec, type TestHub } from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const RUN_TIMEOUT_MS = 90_000;

describe('a saved plan made for one org', { timeout: 240_000 }, () => {
	const dir = useTempDir('saved-plan-org-it-');
	const run = (hub: TestHub, args: string[]) =>
		cli(hub, args, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS });

	it('is refused in another org (exit 4), and applies in its own', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'org-bound.yaml', {
			stack: 'org-bound',
			sessions: { a: { task: 'Task for a' } },
		});
		expectExit(
			await run(hub, ['plan', '-f', file, '--org', 'org_docs', '--out', 'org-bound.json']),
			0
		);

		await hub.resetStats();
		const elsewhere = await run(hub, ['apply', 'org-bound.json', '--org', 'org_ops']);
		expectExit(elsewhere, 4);
		expect(elsewhere.stderr).toContain('The saved plan org-bound.json was made for another Hub');
		expect(elsewhere.stderr).toContain('(org org_docs)');
		expect(elsewhere.stderr).toContain('(org org_ops)');
		expect(elsewhere.stderr).not.toContain('stale');
		expect(hub.stats().create ?? 0).toBe(0);
		expect(hub.stats().list ?? 0).toBe(0);

		const shown = await run(hub, ['show', 'org-bound.json', '--org', 'org_ops']);
		expectExit(shown, 4);
		expect(shown.stdout).toContain('This saved plan was made for another Hub');

		const applied = await run(hub, ['apply', 'org-bound.json', '--org', 'org_docs']);
		expectExit(applied, 0);
		expect(hub.stats().create).toBe(1);
	});
});
