/**
 * A saved plan never holds literal env text: `apply PLANFILE` reads it back from the spec files
 * the plan was made from (or the ones -f names), with the vars the plan was made with, and sends
 * it. A spec file gone is exit 1 pointing at -f; literal text changed since is a stale plan
 * (exit 4) that names the variable, never the text; without CODER_SESSIONS_ENV_KEY the text is
 * sent unchecked, with a note saying so. In-process CLI, local Hub on 127.0.0.1 echoing env.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.js';
import {
	cli,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const LITERAL = 'literal-Text-4be';
const TOKEN = 'tok-Value-81c';
const RUN = { timeoutMs: 90_000 };

const spec = (stack: string, literal: string): SpecDoc => ({
	stack,
	sessions: {
		vault: { task: 'Uses a literal.', env: { LIT: literal, AUTH: 'Bearer ${TOKEN}' } },
	},
});

/** A second spec file of the same stack, with a literal of its own. */
const cellar = (stack: string, literal: string): SpecDoc => ({
	stack,
	sessions: { cellar: { task: 'Keeps a literal.', env: { KEPT: literal } } },
});

const all = (result: CliResult) => result.stdout + result.stderr;

describe('a saved plan with literal env text, applied', { timeout: 240_000 }, () => {
	const dir = useTempDir('saved-plan-literals-it-');
	const run = (hub: TestHub, args: string[], env: Record<string, string | undefined> = {}) =>
		cli(hub, args, { cwd: dir.path, env: { TOKEN, ...env }, ...RUN });

	/** The env the Hub holds for `stack`'s session of `key` (`vault` unless told). */
	async function sentEnv(hub: TestHub, stack: string, key = 'vault') {
		const ids = await liveIdsByKey(hub, stack);
		expect(ids[key]).toBeDefined();
		return (await hub.client.getSession(ids[key]!)).env;
	}

	it('sends the text read back from the spec file, which the plan file never holds', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		const file = await writeSpec(dir.path, 'sent.yaml', spec('sent', LITERAL));
		expectExit(await run(hub, ['plan', '-f', file, '--out', 'sent.plan']), 0);
		expect(await readFile(join(dir.path, 'sent.plan'), 'utf8')).not.toContain(LITERAL);

		const applied = await run(hub, ['apply', 'sent.plan']);
		expectExit(applied, 0);
		expect(await sentEnv(hub, 'sent')).toEqual({ LIT: LITERAL, AUTH: `Bearer ${TOKEN}` });
		expect(all(applied)).not.toContain(LITERAL);
		// With the key, the text read back was checked: no note says otherwise.
		expect(applied.stderr).not.toContain('without checking');
	});

	it('reads a spec of other vars with the vars the plan was made with', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		await writeSpec(
			dir.path,
			'vars.yaml',
			[
				'version: 1',
				'stack: vars-${var.env}',
				'vars:',
				'  env: staging',
				'sessions:',
				'  vault:',
				'    task: Uses a literal.',
				'    env:',
				'      DB: db-${var.env}',
				'',
			].join('\n')
		);
		expectExit(
			await run(hub, ['plan', '-f', 'vars.yaml', '--var', 'env=prod', '--out', 'vars.plan']),
			0
		);
		expectExit(await run(hub, ['apply', 'vars.plan']), 0);
		expect(await sentEnv(hub, 'vars-prod')).toEqual({ DB: 'db-prod' });
	});

	it('applies without its spec files when its env has no literal text', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		const file = await writeSpec(dir.path, 'templates-only.yaml', {
			stack: 'templates-only',
			sessions: { vault: { task: 'Uses a token.', env: { AUTH: '${TOKEN}' } } },
		});
		expectExit(await run(hub, ['plan', '-f', file, '--out', 'templates-only.plan']), 0);
		await rm(join(dir.path, file));
		expectExit(await run(hub, ['apply', 'templates-only.plan']), 0);
		expect(await sentEnv(hub, 'templates-only')).toEqual({ AUTH: TOKEN });
	});

	it('is refused when the spec file is gone (exit 1, pointing at -f), and reads the one -f names', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		const file = await writeSpec(dir.path, 'moved.yaml', spec('moved', LITERAL));
		expectExit(await run(hub, ['plan', '-f', file, '--out', 'moved.plan']), 0);
		await rm(join(dir.path, file));

		await hub.resetStats();
		const gone = await run(hub, ['apply', 'moved.plan']);
		expectExit(gone, 1);
		expect(gone.stderr).toContain(
			`moved.plan: the plan's env has literal text, which a saved plan never holds; it is read from the spec file moved.yaml (${join(dir.path, 'moved.yaml')}), which cannot be read (apply from the folder the plan was made in, or give the spec files with -f)`
		);
		expect(hub.stats().total ?? 0).toBe(0);

		await writeSpec(dir.path, 'elsewhere.yaml', spec('moved', LITERAL));
		const given = await run(hub, ['apply', 'moved.plan', '-f', 'elsewhere.yaml']);
		expectExit(given, 0);
		expect(await sentEnv(hub, 'moved')).toEqual({ LIT: LITERAL, AUTH: `Bearer ${TOKEN}` });
	});

	it('applied from another folder, names where it looked for the spec file the plan was made from', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		const file = await writeSpec(dir.path, 'here.yaml', spec('here', LITERAL));
		expectExit(await run(hub, ['plan', '-f', file, '--out', 'here.plan']), 0);
		const sub = join(dir.path, 'sub-here');
		await mkdir(sub, { recursive: true });

		await hub.resetStats();
		const elsewhere = await cli(hub, ['apply', '../here.plan'], {
			cwd: sub,
			env: { TOKEN },
			...RUN,
		});
		expectExit(elsewhere, 1);
		expect(elsewhere.stderr).toContain(
			`it is read from the spec file here.yaml (${join(sub, 'here.yaml')}), which cannot be read (apply from the folder the plan was made in, or give the spec files with -f)`
		);
		expect(hub.stats().total ?? 0).toBe(0);

		expectExit(await run(hub, ['apply', 'here.plan']), 0);
	});

	it('is stale (exit 4) when the literal text changed, naming the variable and not the text', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		// Two spec files, a literal changed in each: both files and both variables named.
		const file = await writeSpec(dir.path, 'changed.yaml', spec('changed', LITERAL));
		const more = await writeSpec(dir.path, 'changed-more.yaml', cellar('changed', LITERAL));
		expectExit(await run(hub, ['plan', '-f', file, '-f', more, '--out', 'changed.plan']), 0);
		await writeSpec(dir.path, 'changed.yaml', spec('changed', 'another-Text-d07'));
		await writeSpec(dir.path, 'changed-more.yaml', cellar('changed', 'another-Text-d07'));

		await hub.resetStats();
		const changed = await run(hub, ['apply', 'changed.plan']);
		expectExit(changed, 4);
		expect(changed.stderr).toContain(
			'changed.plan: the spec (changed.yaml, changed-more.yaml) no longer matches the plan: cellar.env.KEPT has other literal text than when the plan was made; vault.env.LIT has other literal text than when the plan was made; run plan again'
		);
		expect(all(changed)).not.toContain('another-Text-d07');
		expect(all(changed)).not.toContain(LITERAL);
		expect(hub.stats().total ?? 0).toBe(0);
	});

	it('without the key, sends the text unchecked and says so', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		const noKey = { CODER_SESSIONS_ENV_KEY: undefined };
		const file = await writeSpec(dir.path, 'nokey.yaml', spec('nokey', LITERAL));
		const more = await writeSpec(dir.path, 'nokey-more.yaml', cellar('nokey', LITERAL));
		expectExit(await run(hub, ['plan', '-f', file, '-f', more, '--out', 'nokey.plan'], noKey), 0);
		const applied = await run(hub, ['apply', 'nokey.plan'], noKey);
		expectExit(applied, 0);
		expect(applied.stderr).toContain(
			'note: literal env text of cellar.env.KEPT, vault.env.LIT, vault.env.AUTH read from nokey.yaml, nokey-more.yaml without checking it is what was planned (plan and apply with the same CODER_SESSIONS_ENV_KEY to check it)'
		);
		expect(await sentEnv(hub, 'nokey')).toEqual({ LIT: LITERAL, AUTH: `Bearer ${TOKEN}` });
		expect(await sentEnv(hub, 'nokey', 'cellar')).toEqual({ KEPT: LITERAL });
	});
});
