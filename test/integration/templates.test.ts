/**
 * Templates end to end: the built CLI against a local Hub on 127.0.0.1. forEach entries are
 * ordinary entries once expanded; their keys come from item keys, so reordering items plans
 * nothing and removing one plans exactly its removal; vars take --var over --var-file over vars:.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { cli, hubForTest, liveIdsByKey, useTempDir, type TestHub } from '../support/local-hub.js';
import { expectExit, planJson } from '../support/plan-output.js';

const RUN = { timeoutMs: 90_000 };

const specText = (items: readonly string[]) =>
	[
		'version: 1',
		'stack: shards-${var.env}',
		'vars:',
		'  env: staging',
		'  visibility: private',
		'sessions:',
		'  shard:',
		'    forEach:',
		...items.map((item) => `      ${item}: { owner: "@${item}" }`),
		'    task: Migrate ${each.key} in ${var.env}.',
		'    label: Migrate ${each.key}',
		'    visibility: ${var.visibility}',
		'    metadata:',
		'      owner: ${each.value.owner}',
		'  runbook:',
		'    task: Keep the ${var.env} runbook.',
		'',
	].join('\n');

describe('templates against the local Hub', { timeout: 300_000 }, () => {
	const dir = useTempDir('templates-it-');
	const write = (name: string, text: string) => writeFile(join(dir.path, name), text);
	const run = (hub: TestHub, args: string[]) => cli(hub, args, { cwd: dir.path, ...RUN });
	const offline = (args: string[]) => runCli(args, { cwd: dir.path, ...RUN });
	const changes = async (hub: TestHub, args: string[]) =>
		planJson(await run(hub, ['plan', '--format', 'json', ...args]))
			.actions.filter((action) => action.kind !== 'noop')
			.map((action) => `${action.kind} ${action.key}`)
			.sort();

	it('expands, applies, and keeps keys stable under reorder and removal', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await write('spec.yaml', specText(['billing', 'search', 'ledger']));
		expect(await changes(hub, ['-f', 'spec.yaml'])).toEqual([
			'create runbook',
			'create shard.billing',
			'create shard.ledger',
			'create shard.search',
		]);
		expectExit(await run(hub, ['apply', '--auto-approve', '-f', 'spec.yaml']), 0);
		const ids = await liveIdsByKey(hub, 'shards-staging');
		expect(Object.keys(ids).sort()).toEqual([
			'runbook',
			'shard.billing',
			'shard.ledger',
			'shard.search',
		]);
		const billing = await hub.client.getSession(ids['shard.billing']!);
		expect(billing.metadata).toMatchObject({ owner: '@billing' });
		expect(billing.task).toBe('Migrate billing in staging.');

		await write('spec.yaml', specText(['ledger', 'billing', 'search']));
		expect(await changes(hub, ['-f', 'spec.yaml'])).toEqual([]);

		await write('spec.yaml', specText(['ledger', 'search']));
		expect(await changes(hub, ['-f', 'spec.yaml'])).toEqual(['archive shard.billing']);

		// Ordinary entries: --only picks them by glob.
		await write('spec.yaml', specText(['ledger', 'search', 'docs']));
		expect(await changes(hub, ['-f', 'spec.yaml', '--only', 'shard.*'])).toEqual([
			'archive shard.billing',
			'create shard.docs',
		]);
	});

	it('takes --var over --var-file over vars:', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		await write('vars.yaml', specText(['a', 'b']));
		await write('prod.yaml', 'env: prod\nvisibility: organization\n');
		const stackOf = async (args: string[]) =>
			planJson(await run(hub, ['plan', '--format', 'json', '-f', 'vars.yaml', ...args])).stack;
		expect(await stackOf([])).toBe('shards-staging');
		expect(await stackOf(['--var-file', 'prod.yaml'])).toBe('shards-prod');
		expect(await stackOf(['--var-file', 'prod.yaml', '--var', 'env=qa'])).toBe('shards-qa');
		expect(await stackOf(['--var', 'env=qa', '--var-file', 'prod.yaml'])).toBe('shards-qa');
	});

	it('applies a saved plan with the vars it was made with, and refuses other vars', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await write('saved.yaml', specText(['a']));
		expectExit(
			await run(hub, ['plan', '-f', 'saved.yaml', '--var', 'env=qa', '--out', 'qa.json']),
			0
		);
		const refused = await run(hub, ['apply', 'qa.json', '--var', 'env=prod']);
		expectExit(refused, 1);
		expect(refused.stderr).toContain('a saved plan carries the vars it was made with');
		expectExit(await run(hub, ['apply', 'qa.json']), 0);
		const ids = await liveIdsByKey(hub, 'shards-qa');
		const tasks = await Promise.all(
			Object.values(ids).map(async (id) => (await hub.client.getSession(id)).task)
		);
		expect(tasks.sort()).toEqual(['Keep the qa runbook.', 'Migrate a in qa.']);
	});

	it('reports every template error at the template, naming the item, exit 1', async () => {
		await write(
			'bad.yaml',
			[
				'version: 1',
				'stack: s',
				'vars: { env: qa }',
				'sessions:',
				'  a:',
				'    forEach: { one: { x: 1 }, Two: {} }',
				'    task: ${var.evn} ${each.value.y}',
				'  b:',
				'    forEach: []',
				'    task: t',
				'  c:',
				'    task: ${each.key}',
				'  d.one: { task: t }',
				'  d:',
				'    forEach: [one]',
				'    task: t',
				'',
			].join('\n')
		);
		const result = await offline(['validate', '-f', 'bad.yaml', '--var', 'nope=1', '--var', 'x']);
		expectExit(result, 1);
		const lines = result.stderr.split('\n');
		for (const expected of [
			'--var nope=1: no var "nope" is declared under vars: in the spec; declared: env',
			'--var x: has no value: write --var NAME=VALUE',
			'bad.yaml:6:31: sessions.a.forEach.Two: forEach item "Two" of "a" makes the key "a.Two", which is not valid',
			'bad.yaml:7:11: sessions.a.task: undefined var "evn": declare it under vars: (did you mean "env"?); declared: env',
			'bad.yaml:7:11: sessions.a.task: ${each.value.y}: item "one" has no field "y"',
			'bad.yaml:9:14: sessions.b.forEach: forEach of "b" has no items',
			'bad.yaml:12:11: sessions.c.task: ${each.key} is outside forEach',
			'bad.yaml:15:15: sessions.d.forEach[0]: forEach item "one" of "d" makes the key "d.one", which the entry "d.one" written in this file already makes',
		]) {
			expect(
				lines.some((line) => line.startsWith(expected)),
				`${expected}\n---\n${result.stderr}`
			).toBe(true);
		}
		await writeFile(join(dir.path, 'list.yaml'), '- a\n');
		const badFile = await offline(['validate', '-f', 'vars.yaml', '--var-file', 'list.yaml']);
		expectExit(badFile, 1);
		expect(badFile.stderr).toContain(
			'list.yaml:1:1: expected a mapping of var names to values (NAME: VALUE) at the top level (got a list)'
		);
		const missing = await offline(['plan', '-f', 'vars.yaml', '--var-file', 'none.yaml']);
		expectExit(missing, 1);
		expect(missing.stderr).toContain('none.yaml: --var-file: file not found');
		expect(missing.stderr).not.toContain('did you mean');
		// An environment's name mistyped: the var file beside it is named.
		await writeFile(join(dir.path, 'prod.yaml'), 'env: prod\n');
		const typo = await offline(['plan', '-f', 'vars.yaml', '--var-file', 'prdo.yaml']);
		expectExit(typo, 1);
		expect(typo.stderr).toContain(
			'prdo.yaml: --var-file: file not found (did you mean prod.yaml?)'
		);
	});

	it('validate counts the entries templates made in every section, not only sessions', async () => {
		await write(
			'kinds.yaml',
			[
				'version: 1',
				'stack: teams',
				'vars:',
				'  teams: [web, api]',
				'sessions:',
				'  review:',
				'    forEach: ${var.teams}',
				'    task: Review ${each.key}.',
				'    workspace: review.${each.key}',
				'  runbook:',
				'    task: Keep the runbook.',
				'agents:',
				'  review:',
				'    forEach: ${var.teams}',
				'    slug: ${each.key}-reviewer',
				'    instructions: Review ${each.key}.',
				'workspaces:',
				'  review:',
				'    forEach: ${var.teams}',
				'    systemPrompt: Team ${each.key}.',
				'',
			].join('\n')
		);
		const text = await offline(['validate', '-f', 'kinds.yaml']);
		expectExit(text, 0);
		expect(text.stdout).toContain(
			'kinds.yaml: 7 entries (6 from 3 templates) in stack teams: 3 sessions, 2 agents, 2 workspaces'
		);
		const json = await offline(['validate', '-f', 'kinds.yaml', '--format', 'json']);
		expect(JSON.parse(json.stdout)).toMatchObject({
			sessions: 3,
			entries: 7,
			fromTemplates: 6,
			templates: 3,
		});
	});

	it('renders the expanded spec with its vars, and validate counts what templates made', async () => {
		await write('render.yaml', specText(['billing', 'search']));
		await write('qa.yaml', 'env: qa\n');
		const rendered = await offline(['render', '-f', 'render.yaml', '--var-file', 'qa.yaml']);
		expectExit(rendered, 0);
		expect(rendered.stdout).toContain('#   env = "qa" (--var-file qa.yaml)');
		expect(rendered.stdout).toContain('#   visibility = "private" (default)');
		expect(rendered.stdout).toContain('stack: shards-qa\n');
		expect(rendered.stdout).toContain(
			'  shard.billing:\n    task: Migrate billing in qa.\n    label: Migrate billing\n'
		);
		expect(rendered.stdout).not.toContain('forEach');
		expect(rendered.stdout).not.toContain('${');
		// What render prints is a spec that reads back as the same entries.
		await write('rendered.yaml', rendered.stdout);
		const back = await offline(['validate', '-f', 'rendered.yaml']);
		expectExit(back, 0);
		expect(back.stdout).toContain('rendered.yaml: 3 entries in stack shards-qa');

		const validated = await offline(['validate', '-f', 'render.yaml']);
		expectExit(validated, 0);
		expect(validated.stdout).toBe(
			'render.yaml: 3 entries (2 from 1 template) in stack shards-staging\n'
		);
	});
});
