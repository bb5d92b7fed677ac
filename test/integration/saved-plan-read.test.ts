/**
 * `apply PLANFILE` and `show PLANFILE` read a saved plan before anything else: a file that is not
 * one (a spec given without -f, text that is not JSON, JSON of another kind, a plan of an older
 * format, a damaged plan) is refused with exit 1 and a message that says what to do, before the
 * Hub is asked anything. A plan written by `plan --out` is indented JSON ending in a newline.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hubForTest, useTempDir, writeSpec, type TestHub } from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const RUN_TIMEOUT_MS = 90_000;
const SPEC = { stack: 'read-back', sessions: { a: { task: 'Task for a' } } };

describe('a saved plan read back', { timeout: 240_000 }, () => {
	const dir = useTempDir('saved-plan-read-it-');
	const run = (hub: TestHub, args: string[]) =>
		cli(hub, args, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS });

	/** A plan made by `plan --out`, as JSON, and the Hub it was made against. */
	async function madePlan(onTestFinished: (fn: () => Promise<void>) => void, name: string) {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, `${name}.yaml`, SPEC);
		expectExit(await run(hub, ['plan', '-f', file, '--out', `${name}.json`]), 0);
		const text = await readFile(join(dir.path, `${name}.json`), 'utf8');
		return { hub, text, saved: JSON.parse(text) as Record<string, unknown> };
	}

	/** Applies and shows `planfile`: both refused with exit 1 and `message`, no Hub request made. */
	async function expectRefused(hub: TestHub, planfile: string, message: string) {
		await hub.resetStats();
		for (const command of ['apply', 'show']) {
			const result = await run(hub, [command, planfile]);
			expectExit(result, 1);
			expect(result.stderr).toContain(message);
		}
		expect(hub.stats().total ?? 0).toBe(0);
	}

	it('is written as indented JSON ending in a newline, and applies', async ({ onTestFinished }) => {
		const { hub, text, saved } = await madePlan(onTestFinished, 'written');
		expect(text).toBe(`${JSON.stringify(saved, null, 2)}\n`);
		expect(saved).toMatchObject({ kind: 'coder-sessions/plan', formatVersion: 2 });
		expectExit(await run(hub, ['apply', 'written.json']), 0);
		expect(hub.stats().create).toBe(1);
	});

	it('refuses a spec given in its place, pointing at -f, whatever the case of .yaml or .yml', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		for (const name of ['team.yaml', 'team.yml', 'TEAM.YAML']) {
			await writeSpec(dir.path, name, SPEC);
			await expectRefused(
				hub,
				name,
				`${name}: not a saved plan; to apply a spec, give it with -f: \`coder-sessions apply -f ${name}\``
			);
		}
	});

	it('refuses a plan file that is not there, or is a folder, naming it', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await mkdir(join(dir.path, 'a-folder.plan'));
		for (const [name, why] of [
			['no-such.plan', 'no such file'],
			['a-folder.plan', 'it is a directory'],
			['missing-folder/x.plan', 'no such file'],
		] as const) {
			await expectRefused(hub, name, `${name}: cannot read the saved plan (${why})`);
		}
	});

	it('refuses a FIFO or a device without reading it: nothing would end the read', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const fifo = join(dir.path, 'a-fifo.plan');
		expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
		for (const name of ['a-fifo.plan', '/dev/zero']) {
			await expectRefused(
				hub,
				name,
				`${name}: cannot read the saved plan (not a regular file; give the file plan --out wrote)`
			);
		}
	});

	it('refuses a file larger than any plan before reading it', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		// Sparse: 300 MiB long, nothing written to disk.
		const huge = join(dir.path, 'huge.plan');
		const handle = await open(huge, 'w');
		await handle.truncate(300 * 1024 * 1024);
		await handle.close();
		await expectRefused(
			hub,
			'huge.plan',
			'huge.plan: cannot read the saved plan (it is 300 MiB; a saved plan may be at most 256 MiB)'
		);
	});

	it('refuses text that is not JSON, naming plan --out', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		// Named like a spec, but not ending in one: no hint about -f.
		for (const name of ['notes.txt', 'team.yaml.bak']) {
			await writeFile(join(dir.path, name), 'stack: not json\n');
			const expected = `${name}: not a saved plan (not JSON); make one with \`coder-sessions plan --out PLANFILE\``;
			await expectRefused(hub, name, expected);
		}
	});

	it('refuses JSON that is not a saved plan, naming plan --out', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		for (const [name, body] of [
			['other-kind.json', { kind: 'coder-sessions/report', formatVersion: 2 }],
			['no-kind.json', { formatVersion: 2 }],
			['null.json', null],
		] as const) {
			await writeFile(join(dir.path, name), JSON.stringify(body));
			await expectRefused(
				hub,
				name,
				`${name}: not a saved plan; make one with \`coder-sessions plan --out PLANFILE\``
			);
		}
	});

	it('refuses a plan of another format, naming both versions', async ({ onTestFinished }) => {
		const { hub, saved } = await madePlan(onTestFinished, 'older');
		await writeFile(join(dir.path, 'older.json'), JSON.stringify({ ...saved, formatVersion: 1 }));
		await expectRefused(
			hub,
			'older.json',
			'older.json: saved plan format 1 is not supported by this version (expects 2)'
		);
	});

	it('refuses a damaged plan, naming the first damaged field', async ({ onTestFinished }) => {
		const { hub, saved } = await madePlan(onTestFinished, 'damaged');
		const cases: [string, Record<string, unknown>, string][] = [
			['createdAt', { ...saved, createdAt: 7 }, 'createdAt'],
			['target', { ...saved, target: { url: 'http://x' } }, 'target.local'],
			['spec', { ...saved, spec: { stack: 'read-back', sessions: [{}] } }, 'spec.sessions.0.key'],
			[
				'plan',
				{ ...saved, plan: { ...(saved.plan as object), actions: [{}] } },
				'plan.actions.0.kind',
			],
			['specFiles', { ...saved, specFiles: [1] }, 'specFiles.0'],
			['env', { ...saved, env: { values: { a: { T: 1 } }, templates: {} } }, 'env.values.a.T'],
			[
				'env templates',
				{ ...saved, env: { values: {}, templates: { a: { T: null } } } },
				'env.templates.a.T',
			],
			['env key', { ...saved, env: { ...(saved.env as object), keyId: 5 } }, 'env.keyId'],
			['org', { ...saved, target: { ...(saved.target as object), org: 5 } }, 'target.org'],
		];
		for (const [name, body, path] of cases) {
			const file = `damaged-${name.replace(' ', '-')}.json`;
			await writeFile(join(dir.path, file), JSON.stringify(body));
			await expectRefused(hub, file, `${file}: the saved plan is damaged (${path})`);
		}
	});
});
