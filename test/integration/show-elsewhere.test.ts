/**
 * `show PLANFILE` says which Hub it compared the plan with, and exits as apply would answer it:
 * 4 for a plan stale there or made for another Hub. A plan made with --local, shown from another
 * folder, finds no local Hub there: it says so instead of starting an empty one. Other commands
 * run with --local from a subdirectory start an empty one there, and say where the other is.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { hubForTest, tempDirForTest, writeSpec } from '../support/local-hub.js';

const spec = { stack: 'shown', sessions: { a: { task: 'Task for a' } } };

describe.concurrent('show PLANFILE', () => {
	it('from another folder, a --local plan finds no local Hub there: it says so and exits 4', async ({
		onTestFinished,
	}) => {
		const made = await tempDirForTest(onTestFinished);
		const elsewhere = join(made, 'elsewhere');
		await mkdir(elsewhere);
		await writeSpec(made, 'sessions.yaml', spec);
		const planned = await runCli(['plan', '--local', '--out', 'plan.json'], { cwd: made });
		expect(planned.code, planned.stderr).toBe(0);

		const shown = await runCli(['show', join(made, 'plan.json')], { cwd: elsewhere });

		expect(shown.code, shown.stderr).toBe(4);
		const state = join(elsewhere, '.coder-sessions', 'local-hub.json');
		expect(shown.stdout).toContain('This saved plan was made for another Hub');
		expect(shown.stdout).toContain(`there is none here (${state} does not exist)`);
		expect(shown.stderr).toContain(`Checked against the local Hub over ${state}`);
		expect(existsSync(join(elsewhere, '.coder-sessions'))).toBe(false);

		// In its own folder it is current: exit 0, naming the Hub it checked.
		const home = await runCli(['show', 'plan.json'], { cwd: made });
		expect(home.code, home.stderr).toBe(0);
		expect(home.stderr).toContain(
			`Checked against the local Hub over ${join(made, '.coder-sessions', 'local-hub.json')}: the saved plan is current.`
		);
	});

	it('exits 4 on a plan gone stale, naming the Hub it checked', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await tempDirForTest(onTestFinished);
		await writeSpec(dir, 'sessions.yaml', spec);
		const env = { AGENTUITY_CODER_URL: hub.url };
		expect((await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env })).code).toBe(0);
		const applied = await runCli(['apply', '--auto-approve'], { cwd: dir, env });
		expect(applied.code, applied.stderr).toBe(0);

		const shown = await runCli(['show', 'plan.json'], { cwd: dir, env });

		expect(shown.code, shown.stderr).toBe(4);
		expect(shown.stdout).toContain('This saved plan is stale');
		expect(shown.stderr).toContain(
			`Checked against the Hub at ${hub.url}: the saved plan is stale.`
		);
		// Offline, nothing is compared: the plan is shown and show exits 0.
		const offline = await runCli(['show', 'plan.json', '--no-check'], { cwd: dir, env });
		expect(offline.code).toBe(0);
		expect(offline.stderr).not.toContain('Checked against');
	});
});

describe('--local from a subdirectory', () => {
	it('says that it starts an empty local Hub there, and where the one of the folder above is', async ({
		onTestFinished,
	}) => {
		const top = await tempDirForTest(onTestFinished);
		const sub = join(top, 'docs');
		await mkdir(sub);
		await writeSpec(top, 'sessions.yaml', spec);
		const applied = await runCli(['apply', '--local', '--auto-approve'], { cwd: top });
		expect(applied.code, applied.stderr).toBe(0);

		const planned = await runCli(['plan', '--local', '-f', '../sessions.yaml'], { cwd: sub });

		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stderr).toContain(
			`note: this folder (${sub}) has no local Hub, so an empty one is started over ${join(sub, '.coder-sessions', 'local-hub.json')}; a folder above has one (${join(top, '.coder-sessions', 'local-hub.json')}): run from there to use it`
		);
		const home = await runCli(['plan', '--local'], { cwd: top });
		expect(home.stdout).toContain('No changes.');
		expect(home.stderr).not.toContain('has no local Hub');
	});
});
