/** The library surface (src/index.ts) in-process, against a local Hub over HTTP. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import {
	apply,
	connectHub,
	drift,
	exportSessions,
	loadSpec,
	plan,
	renderPlan,
	SpecInvalidError,
	ExitCode,
	startLocalHub,
	status,
	UserError,
	type ConnectedHub,
	type LocalHub,
} from '../../src/index.js';
import { projectRoot } from '../support/cli.js';

const SPEC = `version: 1
stack: lib-team
sessions:
  alpha:
    task: Alpha's task.
  beta:
    task: Beta's task.
`;

describe('the library', () => {
	let dir: string;
	let local: LocalHub;
	let hub: ConnectedHub;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'library-'));
		await writeFile(join(dir, 'sessions.yaml'), SPEC);
		local = await startLocalHub({ host: '127.0.0.1', onWarning: () => {} });
		hub = await connectHub({ url: local.url }, { env: {} });
	});
	afterAll(async () => {
		await hub.close();
		await local.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('throws a UserError listing what is wrong with a spec', async () => {
		await writeFile(join(dir, 'bad.yaml'), 'version: 1\nstack: Not A Stack\nsessions: {}\n');
		const error = await loadSpec(['bad.yaml'], { cwd: dir }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(UserError);
		expect((error as UserError).message).toMatch(/^bad\.yaml:2:8: stack: /);
	});

	it('gives the problems of a spec as values: file, line, column, path, message', async () => {
		await writeFile(join(dir, 'bad.yaml'), 'version: 1\nstack: Not A Stack\nsessions: {}\n');
		const error = await loadSpec(['bad.yaml'], { cwd: dir }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SpecInvalidError);
		const [first] = (error as SpecInvalidError).errors;
		expect(first).toMatchObject({ file: 'bad.yaml', at: { line: 2, column: 8 }, path: ['stack'] });
		expect((error as SpecInvalidError).exitCode).toBe(ExitCode.Error);
	});

	it('applies nothing when the approval is declined', async () => {
		const spec = await loadSpec(['sessions.yaml'], { cwd: dir });
		const planned = await plan(spec, hub, { env: {} });
		const outcome = await apply(planned, hub, { env: {}, approve: async () => false });
		expect(outcome).toEqual({ status: 'cancelled' });
		expect(local.stats().create ?? 0).toBe(0);
	});

	it('plans, renders, applies, and then reads status, drift and an export', async () => {
		const spec = await loadSpec(['sessions.yaml'], { cwd: dir });
		const planned = await plan(spec, hub, { env: {} });
		expect(planned.plan.actions.map((action) => [action.kind, action.key])).toEqual([
			['create', 'alpha'],
			['create', 'beta'],
		]);
		expect(planned.refusal).toEqual([]);
		expect(JSON.parse(renderPlan(planned, { format: 'json' })).summary).toMatchObject({
			create: 2,
		});
		const finished: string[] = [];
		const outcome = await apply(planned, hub, {
			env: {},
			onEvent: (event) => {
				if (event.type === 'finish') finished.push(event.outcome.action.key);
			},
		});
		expect(outcome.status === 'applied' && outcome.succeeded).toBe(true);
		expect(finished.sort()).toEqual(['alpha', 'beta']);

		const again = await plan(spec, hub, { env: {} });
		expect(again.plan.actions.every((action) => action.kind === 'noop')).toBe(true);
		expect((await apply(again, hub, { env: {} })).status).toBe('no-changes');

		const view = await status(spec, hub);
		expect(view.rows.map((row) => [row.key, row.sync])).toEqual([
			['alpha', 'in-sync'],
			['beta', 'in-sync'],
		]);
		expect((await drift(spec, hub)).counts).toMatchObject({ outside: 0 });
		const exported = await exportSessions(hub, { stack: 'lib-team' });
		expect(exported.count).toBe(2);
		expect(exported.text).toContain("task: Alpha's task.");
	});

	it('is what the package exports from dist/index.js', async () => {
		const built = (await import(pathToFileURL(join(projectRoot, 'dist/index.js')).href)) as object;
		expect(Object.keys(built).sort()).toEqual(Object.keys(library).sort());
		const types = readFileSync(join(projectRoot, 'dist/index.d.ts'), 'utf8');
		for (const name of ['loadSpec', 'plan', 'apply', 'renderPlan', 'connectHub', 'startLocalHub']) {
			expect(typeof (built as Record<string, unknown>)[name], name).toBe('function');
			// package.json `types` names dist/index.d.ts: each function is typed there.
			expect(types, name).toMatch(
				new RegExp(`export (declare function ${name}\\(|\\{ ${name}\\b)`)
			);
		}
	});
});
