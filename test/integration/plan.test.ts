/**
 * `plan` end to end: the built CLI against an in-process local Hub on 127.0.0.1 (issue "plan: a
 * reviewable, secret-free, bound plan"). Seeding goes through the SDK's CoderClient; converged
 * states are reached with `apply --auto-approve`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanJsonV1 } from '../../src/render/json.js';
import { buildEnvStamp, formatStamp } from '../../src/ownership/stamp.js';
import { envKeyFrom } from '../../src/core/secrets/env-key.js';
import { TEST_ENV_SECRET } from '../support/session-builders.js';
import type { DesiredSession } from '../../src/kinds/session/desired.js';
import { runCli, type CliResult } from '../support/cli.js';

/** The only requests a plan makes: session list pages and details, and one list of each other kind. */
const READS = ['get', 'list', 'listAgents', 'listBuckets', 'listSkills', 'listWorkspaces'];
import {
	applySpec,
	cli,
	editLive,
	GITHUB_REPOS,
	hubForTest,
	LIBRARY_FIXTURES,
	liveIdsByKey,
	seedDuplicates,
	seedMarked,
	seedSession,
	seedStack,
	seedUnmarked,
	useLocalHub,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';
import { planJson as json } from '../support/plan-output.js';

const SUMMARY =
	/^Plan: \d+ to create, \d+ to update, \d+ to replace, \d+ to archive, \d+ to delete\./m;

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&');

/** The text block of one action: `<symbol> <verb> <key> ...` up to the next blank line. */
function block(stdout: string, verb: string, key: string): string {
	const head = new RegExp(`^\\s*\\S+ ${verb}\\s+${escapeRegExp(key)}(\\s|$)`);
	const found = stdout
		.split('\n\n')
		.map((part) => part.replace(/^\n+/, ''))
		.find((part) => head.test(part));
	if (!found) throw new Error(`no "${verb} ${key}" block in:\n${stdout}`);
	return found;
}

function action(plan: PlanJsonV1, key: string, kind?: string) {
	const found = plan.actions.filter(
		(a) => a.key === key && (kind === undefined || a.kind === kind)
	);
	expect(found, `${kind ?? 'any'} action for ${key}`).toHaveLength(1);
	return found[0]!;
}

/** No stack frames, no "Internal error": a user-facing failure. */
function expectCleanError(result: CliResult): void {
	expect(result.code).toBe(1);
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
	expect(result.stderr).not.toContain('Internal error');
}

const plan = (
	hub: TestHub,
	dir: string,
	file: string,
	args: string[] = [],
	env: Record<string, string> = {}
) => cli(hub, ['plan', '-f', file, ...args], { cwd: dir, env });

describe.concurrent('plan against an empty Hub', () => {
	const hub = useLocalHub({}, 'all');
	const dir = useTempDir();
	const spec: SpecDoc = {
		stack: 'empty-hub',
		sessions: {
			alpha: { task: 'Do alpha.', label: 'Alpha' },
			beta: { task: 'Do beta.\nIn two lines.', tags: ['x'] },
			gamma: { task: 'Do gamma.', visibility: 'org' },
		},
	};

	const file = 'sessions.yaml';
	beforeAll(() => writeSpec(dir.path, file, spec));

	it('shows a create per entry and a summary; exit 0, or 2 with --detailed-exitcode', async () => {
		const [result, detailed] = await Promise.all([
			plan(hub.current, dir.path, file),
			plan(hub.current, dir.path, file, ['--detailed-exitcode']),
		]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		for (const key of ['alpha', 'beta', 'gamma'])
			expect(result.stdout).toMatch(new RegExp(`^\\s*\\+ create\\s+${key}$`, 'm'));
		expect(result.stdout.match(/\+ create/g)).toHaveLength(3);
		expect(result.stdout).toMatch(SUMMARY);
		expect(result.stdout).toContain(
			'Plan: 3 to create, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
		expect(block(result.stdout, 'create', 'alpha')).toContain('+ label: "Alpha"');
		expect(detailed.code).toBe(2);
		expect(detailed.stdout).toBe(result.stdout);
	});

	it('--format json is versioned and machine-readable', async () => {
		const parsed = json(await plan(hub.current, dir.path, file, ['--format', 'json']));
		expect(parsed.formatVersion).toBe(1);
		expect(parsed.stack).toBe('empty-hub');
		expect(parsed.summary).toMatchObject({
			create: 3,
			update: 0,
			replace: 0,
			archive: 0,
			delete: 0,
			noop: 0,
		});
		expect(parsed.actions.map((a) => [a.kind, a.key])).toEqual([
			['create', 'alpha'],
			['create', 'beta'],
			['create', 'gamma'],
		]);
		expect(action(parsed, 'gamma').desired?.visibility).toBe('organization');
		expect(parsed.hubCalls).toMatchObject({
			list: 1,
			get: 0,
			create: 0,
			update: 0,
			archive: 0,
			delete: 0,
		});
	});

	it('--format markdown puts the summary first and each action of a small plan open', async () => {
		const result = await plan(hub.current, dir.path, file, ['--format', 'markdown']);
		expect(result.code).toBe(0);
		const summary = result.stdout.indexOf(
			'3 to create, 0 to update, 0 to replace, 0 to archive, 0 to delete'
		);
		const first = result.stdout.indexOf('<code>+ create</code>');
		expect(summary).toBeGreaterThan(-1);
		expect(first).toBeGreaterThan(summary);
		expect(result.stdout.match(/<code>\+ create<\/code>/g)).toHaveLength(3);
		expect(result.stdout).not.toContain('<details');
	});

	it('--only KEY plans that entry alone', async () => {
		const [result, parsed] = await Promise.all([
			plan(hub.current, dir.path, file, ['--only', 'beta']),
			plan(hub.current, dir.path, file, [
				'--only',
				'beta',
				'--only',
				'gamma',
				'--format',
				'json',
			]).then(json),
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Only: beta');
		expect(result.stdout).toMatch(/^\s*\+ create\s+beta$/m);
		expect(result.stdout).not.toMatch(/alpha|gamma/);
		expect(result.stdout).toContain('Plan: 1 to create, 0 to update');
		expect(parsed.only).toEqual(['beta', 'gamma']);
		expect(parsed.actions.map((a) => a.key)).toEqual(['beta', 'gamma']);
	});
});

describe.concurrent('plan against a converged Hub', () => {
	const hub = useLocalHub({ githubRepos: GITHUB_REPOS, fixtures: LIBRARY_FIXTURES }, 'all');
	const dir = useTempDir();
	// Every kind of field, aliases and shorthands included: a round trip through the Hub must not drift.
	const spec: SpecDoc = {
		stack: 'converged',
		defaults: { tags: ['managed'], metadata: { team: 'docs' }, visibility: 'org' },
		sessions: {
			plain: { task: 'Plain task.' },
			rich: {
				task: 'Rich task.\nSecond line.\n',
				label: 'Rich',
				tags: ['b', 'a', 'b'],
				visibility: 'collab',
				workflowMode: 'loop',
				loop: { goal: 'Done', maxIterations: 3 },
				agent: 'lead',
				defaultAgent: 'scout',
				enabledAgents: ['scout', 'lead'],
				savedSkillIds: ['sk_1'],
				skillBucketIds: ['bk_1'],
				workspaceId: 'ws_1',
				metadata: { ticket: 'DOCS-1' },
				env: { BASE_URL: 'https://example.test', TOKEN: '${CONVERGED_TOKEN}' },
				runtime: 'bun:1',
				resources: { memory: '1Gi' },
				protect: true,
			},
			repos: {
				task: 'Repos task.',
				repo: 'agentuity/sdk#main',
				repos: ['agentuity/docs', { owner: 'agentuity', name: 'cli', branch: 'dev', path: 'src' }],
			},
		},
	};
	const env = { CONVERGED_TOKEN: 'tok-1' };

	it('shows No changes and exits 0 even with --detailed-exitcode', async () => {
		const file = await writeSpec(dir.path, 'sessions.yaml', spec);
		await applySpec(hub.current, file, { cwd: dir.path, env });
		const [result, parsed, unset] = await Promise.all([
			plan(hub.current, dir.path, file, ['--detailed-exitcode'], env),
			plan(hub.current, dir.path, file, ['--format', 'json'], env).then(json),
			// Without the variable its value is unknown: still no change.
			plan(hub.current, dir.path, file, ['--detailed-exitcode']),
		]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('No changes. The Hub matches the spec (3 sessions).');
		expect(result.stdout).not.toMatch(SUMMARY);
		expect(parsed.summary).toMatchObject({
			create: 0,
			update: 0,
			replace: 0,
			dedupe: 0,
			archive: 0,
			delete: 0,
			noop: 3,
		});
		expect(parsed.counts).toEqual({ managed: 3, otherStacks: 0, unmanaged: 0 });
		expect(unset.code).toBe(0);
	});
});

describe.concurrent('drift in an updatable field plans an update naming it', () => {
	const hub = useLocalHub({}, 'all');
	const dir = useTempDir();
	const stack = 'drift';
	const base: SpecDoc = {
		stack,
		sessions: {
			'd-label': { task: 'T label', label: 'Label' },
			'd-visibility': { task: 'T visibility', visibility: 'organization' },
			'd-tags': { task: 'T tags', tags: ['keep', 'also'] },
			'd-default-agent': { task: 'T default agent', defaultAgent: 'scout' },
			'd-enabled-agents': { task: 'T enabled agents', enabledAgents: ['lead', 'scout'] },
			'd-metadata': { task: 'T metadata', metadata: { ticket: 'DOCS-1', other: 'same' } },
			'd-protect': { task: 'T protect' },
			's-label': { task: 'T spec label', label: 'Before' },
			's-protect': { task: 'T spec protect' },
			's-agent': { task: 'T spec agent', agent: 'lead' },
			'i-label': { task: 'T ignored', label: 'Mine', ignoreChanges: ['label'] },
			'x-archived': { task: 'T archived behind our back' },
		},
	};
	// Edits behind the tool's back: key -> [patch, field, JSON before, JSON after].
	const live: Record<string, [Record<string, unknown>, string, unknown, unknown]> = {
		'd-label': [{ label: 'Edited' }, 'label', 'Edited', 'Label'],
		'd-visibility': [{ visibility: 'private' }, 'visibility', 'private', 'organization'],
		'd-tags': [{ tags: ['keep', 'extra'] }, 'tags', ['extra', 'keep'], ['also', 'keep']],
		'd-default-agent': [{ defaultAgent: 'lead' }, 'defaultAgent', 'lead', 'scout'],
		'd-enabled-agents': [{ enabledAgents: ['lead'] }, 'enabledAgents', ['lead'], ['lead', 'scout']],
		'd-metadata': [
			{ metadata: { ticket: 'DOCS-2' } },
			'metadata',
			{ ticket: 'DOCS-2' },
			{ ticket: 'DOCS-1' },
		],
		'd-protect': [{ metadata: { 'coder-sessions/protect': 'true' } }, 'protect', true, false],
	};
	let file = '';

	beforeAll(async () => {
		await applySpec(hub.current, await writeSpec(dir.path, 'v1.yaml', base), { cwd: dir.path });
		const ids = await liveIdsByKey(hub.current, stack);
		for (const [key, [patch]] of Object.entries(live))
			await editLive(hub.current, ids[key]!, patch);
		await editLive(hub.current, ids['i-label']!, { label: 'Theirs' });
		await hub.current.client.archiveSession(ids['x-archived']!);
		const edited = structuredClone(base) as {
			sessions: Record<string, Record<string, unknown>>;
		} & SpecDoc;
		edited.sessions['s-label']!.label = 'After';
		edited.sessions['s-protect']!.protect = true;
		edited.sessions['s-agent']!.agent = 'scout';
		file = await writeSpec(dir.path, 'v2.yaml', edited);
	});

	it('text: `~ update` per drifted session, naming the field', async () => {
		const result = await plan(hub.current, dir.path, file, ['--detailed-exitcode']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(2);
		expect(result.stdout).toContain(
			'Plan: 1 to create, 10 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
		expect(result.stdout).toContain('Unchanged: 1 session.');
		expect(result.stdout).not.toContain('i-label');
		expect(block(result.stdout, 'create', 'x-archived')).toMatch(
			/is archived, and archiving cannot be undone/
		);
		const fieldLine: Record<string, RegExp> = {
			'd-label': /~ label: "Edited" -> "Label"/,
			'd-visibility': /~ visibility: "?private"? -> "?organization"?/,
			'd-tags': /~ tags: .*\+also.*-extra/,
			'd-default-agent': /~ defaultAgent: "?lead"? -> "?scout"?/,
			'd-enabled-agents': /~ enabledAgents: \+scout/,
			'd-metadata': /~ metadata\.ticket: "DOCS-2" -> "DOCS-1"/,
			'd-protect': /~ protect: true -> false/,
			's-label': /~ label: "Before" -> "After"/,
			's-protect': /~ protect: false -> true/,
			's-agent': /~ agent: .*scout/,
		};
		for (const [key, line] of Object.entries(fieldLine)) {
			const text = block(result.stdout, 'update', key);
			expect(text, key).toMatch(line);
			expect(text, key).not.toMatch(/replace|task/);
		}
		// Only the drifted key of the metadata is shown.
		expect(block(result.stdout, 'update', 'd-metadata')).not.toContain('other');
	});

	it('json: the change with before and after', async () => {
		const parsed = json(await plan(hub.current, dir.path, file, ['--format', 'json']));
		expect(parsed.summary).toMatchObject({ update: 10, create: 1, replace: 0, noop: 1 });
		expect(action(parsed, 'i-label')).toMatchObject({ kind: 'noop', reason: 'matches the spec' });
		for (const [key, [, field, before, after]] of Object.entries(live)) {
			const update = action(parsed, key, 'update');
			expect(update.changes, key).toEqual([{ field, before, after }]);
		}
		expect(action(parsed, 's-label', 'update').changes).toEqual([
			{ field: 'label', before: 'Before', after: 'After' },
		]);
		expect(action(parsed, 's-protect', 'update').changes).toEqual([
			{ field: 'protect', before: false, after: true },
		]);
		// agent is not echoed by the Hub: found through the applied digest.
		expect(action(parsed, 's-agent', 'update').changes).toEqual([
			{ field: 'agent', after: 'scout', viaDigest: true },
		]);
	});
});

describe.concurrent('a create-time field change plans a replace naming it', () => {
	const hub = useLocalHub({ githubRepos: GITHUB_REPOS, fixtures: LIBRARY_FIXTURES }, 'all');
	const dir = useTempDir();
	const stack = 'replace';
	const base: SpecDoc = {
		stack,
		sessions: {
			'r-task': { task: 'Line one.\nLine two.\n' },
			'r-env': { task: 'T env', env: { FIRST: 'one' } },
			'r-repo': { task: 'T repo', repo: 'agentuity/sdk#main' },
			'r-workspace': { task: 'T workspace', workspaceId: 'ws_1' },
			'r-skills': { task: 'T skills', savedSkillIds: ['sk_1'] },
			'r-runtime': { task: 'T runtime', runtime: 'bun:1' },
		},
	};
	const forced: Record<string, string> = {
		'r-task': 'task',
		'r-env': 'env',
		'r-repo': 'repo',
		'r-workspace': 'workspaceId',
		'r-skills': 'savedSkillIds',
		'r-runtime': 'sandbox',
	};
	let file = '';

	beforeAll(async () => {
		await applySpec(hub.current, await writeSpec(dir.path, 'v1.yaml', base), { cwd: dir.path });
		const edited = structuredClone(base) as {
			sessions: Record<string, Record<string, unknown>>;
		} & SpecDoc;
		edited.sessions['r-task']!.task = 'Line one.\nLine 2.\n';
		edited.sessions['r-env']!.env = { FIRST: 'one', SECOND: 'literal-env-value' };
		edited.sessions['r-repo']!.repo = 'agentuity/sdk#dev';
		edited.sessions['r-workspace']!.workspaceId = 'ws_2';
		edited.sessions['r-skills']!.savedSkillIds = ['sk_1', 'sk_2'];
		edited.sessions['r-runtime']!.runtime = 'node:20';
		file = await writeSpec(dir.path, 'v2.yaml', edited);
	});

	it('text: `-/+ replace` per entry, naming the forcing field', async () => {
		const result = await plan(hub.current, dir.path, file, ['--detailed-exitcode']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(2);
		expect(result.stdout).toContain(
			'Plan: 0 to create, 0 to update, 6 to replace, 0 to archive, 0 to delete.'
		);
		for (const [key, field] of Object.entries(forced)) {
			const text = block(result.stdout, 'replace', key);
			expect(text, key).toMatch(/^-\/\+ replace/);
			expect(text, key).toContain(
				`# ${field} changed: a new session is created, then the old one archived`
			);
		}
		const task = block(result.stdout, 'replace', 'r-task');
		expect(task).toMatch(/^\s+- Line two\.$/m);
		expect(task).toMatch(/^\s+\+ Line 2\.$/m);
		expect(block(result.stdout, 'replace', 'r-env')).toMatch(/\+ env\.SECOND: \(sensitive\)/);
		// Env values written in the spec are masked too.
		expect(result.stdout).not.toContain('literal-env-value');
	});

	it('json: forcedBy and the changes', async () => {
		const parsed = json(await plan(hub.current, dir.path, file, ['--format', 'json']));
		for (const [key, field] of Object.entries(forced)) {
			const replace = action(parsed, key, 'replace');
			expect(replace.forcedBy, key).toEqual([field]);
			expect(
				replace.changes?.map((c) => c.field),
				key
			).toEqual([field]);
		}
		expect(action(parsed, 'r-env').changes).toEqual([
			{
				field: 'env',
				envKeys: [
					{ key: 'FIRST', change: 'unchanged' },
					{ key: 'SECOND', change: 'added' },
				],
			},
		]);
		expect(action(parsed, 'r-task').changes?.[0]).toMatchObject({
			before: 'Line one.\nLine two.\n',
			after: 'Line one.\nLine 2.\n',
		});
		expect(JSON.stringify(parsed)).not.toContain('literal-env-value');
	});
});

describe.concurrent('removals and sessions left alone', () => {
	const dir = useTempDir();
	const task = (key: string) => ({ task: `Task for ${key}` });

	for (const [prune, symbol] of [
		['archive', '>'],
		['delete', '-'],
	] as const) {
		it(`prune: ${prune} plans a ${prune} of a removed entry`, async ({ onTestFinished }) => {
			const hub = await hubForTest(onTestFinished);
			const stack = `prune-${prune}`;
			const ids = await seedStack(hub, stack, ['kept', 'gone']);
			const file = await writeSpec(dir.path, `${stack}.yaml`, {
				stack,
				prune,
				sessions: { kept: task('kept') },
			});
			const [result, parsed] = await Promise.all([
				plan(hub, dir.path, file, ['--detailed-exitcode']),
				plan(hub, dir.path, file, ['--format', 'json']).then(json),
			]);
			expect(result.code).toBe(2);
			const text = block(result.stdout, prune, 'gone');
			expect(text.startsWith(`${symbol.padStart(3)} ${prune}`)).toBe(true);
			expect(text).toContain(ids.gone);
			expect(text).toContain(`not in the spec (prune: ${prune})`);
			expect(result.stdout).toContain(`1 to ${prune}`);
			expect(result.stdout).toContain('Unchanged: 1 session.');
			expect(action(parsed, 'gone')).toMatchObject({ kind: prune, sessionId: ids.gone });
			expect(action(parsed, 'kept')).toMatchObject({ kind: 'noop', sessionId: ids.kept });
			expect(parsed.removals).toBe(1);
			expect(parsed.hazards).toEqual([]);
		});
	}

	it('prune: keep leaves a removed entry alone', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const ids = await seedStack(hub, 'prune-keep', ['kept', 'gone']);
		const file = await writeSpec(dir.path, 'prune-keep.yaml', {
			stack: 'prune-keep',
			prune: 'keep',
			sessions: { kept: task('kept') },
		});
		const [result, parsed] = await Promise.all([
			plan(hub, dir.path, file, ['--detailed-exitcode']),
			plan(hub, dir.path, file, ['--format', 'json']).then(json),
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('No changes.');
		expect(action(parsed, 'gone')).toMatchObject({
			kind: 'noop',
			sessionId: ids.gone,
			reason: expect.stringContaining('prune: keep'),
		});
		expect(parsed.removals).toBe(0);
	});

	it('state: archived plans an archive, then nothing once applied', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const ids = await seedStack(hub, 'state-archived', ['kept', 'gone']);
		const file = await writeSpec(dir.path, 'state-archived.yaml', {
			stack: 'state-archived',
			sessions: { kept: task('kept'), gone: { ...task('gone'), state: 'archived' } },
		});
		const result = await plan(hub, dir.path, file);
		expect(block(result.stdout, 'archive', 'gone')).toContain(`${ids.gone}`);
		expect(block(result.stdout, 'archive', 'gone')).toContain('# state: archived');
		expect(result.stdout).toContain('0 to update, 0 to replace, 1 to archive, 0 to delete.');
		await applySpec(hub, file, { cwd: dir.path });
		expect((await hub.client.getSession(ids.gone!)).historyOnly).toBe(true);
		const after = await plan(hub, dir.path, file, ['--detailed-exitcode']);
		expect(after.code).toBe(0);
		expect(after.stdout).toContain('No changes. The Hub matches the spec (2 sessions).');
	});

	it('sessions of another stack and unmarked ones are left alone and counted', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		// Same key as the spec's entry, but another stack: not adopted, not removed.
		const foreign = await seedMarked(hub, 'someone-else', 'kept', task('kept'));
		const unmarked = [await seedUnmarked(hub), await seedUnmarked(hub, 'Another one')];
		const file = await writeSpec(dir.path, 'alone.yaml', {
			stack: 'alone',
			prune: 'delete',
			sessions: { kept: task('kept') },
		});
		const empty = await writeSpec(dir.path, 'alone-empty.yaml', {
			stack: 'alone',
			prune: 'delete',
			sessions: {},
		});
		const [result, parsed, none] = await Promise.all([
			plan(hub, dir.path, file),
			plan(hub, dir.path, file, ['--format', 'json']).then(json),
			plan(hub, dir.path, empty, ['--format', 'json']).then(json),
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^\s*\+ create\s+kept$/m);
		expect(result.stdout).toContain(
			'Plan: 1 to create, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
		expect(result.stdout).toContain(
			'Left alone: 3 sessions not managed by this stack (1 of other stacks, 2 unmarked).'
		);
		for (const id of [foreign, ...unmarked]) expect(result.stdout).not.toContain(id);
		expect(parsed.counts).toEqual({ managed: 0, otherStacks: 1, unmanaged: 2 });
		expect(parsed.actions.map((a) => a.kind)).toEqual(['create']);
		// An empty spec of this stack (prune: delete) touches none of them either.
		expect(none.actions).toEqual([]);
		expect(none.hazards).toEqual([]);
	});

	it('duplicates of a key: dedupe keeps the newest', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const ids = await seedDuplicates(hub, 'dupes', 'twin', 3, task('twin'));
		const file = await writeSpec(dir.path, 'dupes.yaml', {
			stack: 'dupes',
			sessions: { twin: task('twin') },
		});
		const [result, parsed] = await Promise.all([
			plan(hub, dir.path, file, ['--detailed-exitcode']),
			plan(hub, dir.path, file, ['--format', 'json']).then(json),
		]);
		expect(result.code).toBe(2);
		const newest = ids.at(-1)!;
		for (const id of ids.slice(0, -1)) {
			expect(result.stdout).toMatch(
				new RegExp(`^\\s*x dedupe\\s+twin\\s+${id} .*\\(keeps ${newest}\\)$`, 'm')
			);
		}
		expect(result.stdout).toContain('2 to dedupe');
		const dedupes = parsed.actions.filter((a) => a.kind === 'dedupe');
		expect(dedupes.map((a) => a.sessionId).sort()).toEqual(ids.slice(0, -1).sort());
		expect(dedupes.every((a) => a.keep === newest)).toBe(true);
		expect(action(parsed, 'twin', 'noop').sessionId).toBe(newest);

		await applySpec(hub, file, { cwd: dir.path });
		const after = await plan(hub, dir.path, file, ['--detailed-exitcode']);
		expect(after.code).toBe(0);
		expect((await hub.client.getSession(newest)).historyOnly).toBeFalsy();
	});

	it('duplicates from two applies (each with its own env stamp): the newest is kept, nothing replaced', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const env = { TWIN_TOKEN: 'twin-value' };
		const spec: SpecDoc = {
			stack: 'salted',
			sessions: { twin: { task: 'Twin.', env: { TOKEN: '${TWIN_TOKEN}' } } },
		};
		const file = await writeSpec(dir.path, 'salted.yaml', spec);
		await applySpec(hub, file, { cwd: dir.path, env });
		const first = (await liveIdsByKey(hub, 'salted')).twin!;
		// What a second, concurrent apply would have created: the same session, its own env stamp.
		const detail = await hub.client.getSession(first);
		const entry = { key: 'twin', env: { TOKEN: '${TWIN_TOKEN}' } } as unknown as DesiredSession;
		const stamp = formatStamp(
			buildEnvStamp(entry, { TOKEN: env.TWIN_TOKEN }, envKeyFrom(TEST_ENV_SECRET))!
		);
		await sleep(5);
		const second = await seedSession(hub, {
			task: 'Twin.',
			env: { TOKEN: env.TWIN_TOKEN },
			metadata: {
				...(detail.metadata as Record<string, string>),
				'coder-sessions/applied-env': stamp,
			},
		});
		// The newer one is kept; its env, under its own stamp, compares as unchanged.
		const parsed = json(await plan(hub, dir.path, file, ['--format', 'json'], env));
		expect(parsed.actions.map((a) => `${a.kind}:${a.sessionId}`).sort()).toEqual([
			`dedupe:${first}`,
			`noop:${second}`,
		]);
		expect(action(parsed, 'twin', 'dedupe').keep).toBe(second);
	});
});

describe.concurrent('safety rails: plan shows them, apply refuses', () => {
	const dir = useTempDir();
	const tasks = (keys: readonly string[]) =>
		Object.fromEntries(keys.map((key) => [key, { task: `Task for ${key}` }]));
	const keys = (count: number) => Array.from({ length: count }, (_, i) => `s${i}`);
	const apply = (hub: TestHub, file: string, extra: string[] = []) =>
		cli(hub, ['apply', '--auto-approve', '-f', file, ...extra], { cwd: dir.path });

	it('2 of 8 (exactly 25%) passes; archived sessions of the stack do not dilute the rail', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		// 8 active sessions, and 24 more of the stack archived long ago.
		for (const id of Object.values(await seedStack(hub, 'history', keys(32).slice(8))))
			await hub.client.archiveSession(id);
		await seedStack(hub, 'history', keys(8));
		const two = await writeSpec(dir.path, 'history-2.yaml', {
			stack: 'history',
			sessions: tasks(keys(8).slice(2)),
		});
		const three = await writeSpec(dir.path, 'history-3.yaml', {
			stack: 'history',
			sessions: tasks(keys(8).slice(3)),
		});
		const [ok, over] = await Promise.all([
			plan(hub, dir.path, two, ['--format', 'json']).then(json),
			plan(hub, dir.path, three),
		]);
		expect(ok.removals).toBe(2);
		expect(ok.hazards).toEqual([]);
		expect(over.stdout).toContain(
			'This plan makes 3 removals (3 archives) of 8 managed sessions, over 25%; apply refuses unless --allow-removals 3.'
		);
	});

	it('an empty spec against a non-empty stack', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		await seedStack(hub, 'emptied', ['a', 'b']);
		const file = await writeSpec(dir.path, 'emptied.yaml', { stack: 'emptied', sessions: {} });
		const kept = await writeSpec(dir.path, 'emptied-keep.yaml', {
			stack: 'emptied',
			prune: 'keep',
			sessions: {},
		});
		const [result, refused, keep] = await Promise.all([
			plan(hub, dir.path, file, ['--detailed-exitcode']),
			apply(hub, file),
			plan(hub, dir.path, kept, ['--detailed-exitcode']),
		]);
		expect(result.code).toBe(3);
		expect(result.stdout).toContain(
			'The spec declares no sessions but the stack has 2; apply refuses unless --allow-removals 2.'
		);
		expect(result.stdout).toContain('0 to replace, 2 to archive, 0 to delete.');
		expect(refused.code).toBe(3);
		// prune: keep removes nothing, so there is nothing to refuse.
		expect(keep.code).toBe(0);
		expect(keep.stdout).not.toContain('Refused');

		await applySpec(hub, file, { cwd: dir.path, args: ['--allow-removals', '2'] });
		// Once archived, an empty spec has nothing left to guard.
		const after = await plan(hub, dir.path, file, ['--detailed-exitcode']);
		expect(after.code).toBe(0);
		expect(after.stdout).not.toContain('Refused');
	});
});

describe.concurrent('secrets never leave the environment', () => {
	const hub = useLocalHub({}, 'all');
	const dir = useTempDir();
	const SENTINEL = 's3cr3t-sentinel-value';
	const CHANGED = 'n3w-s3cr3t-sentinel';
	const LITERAL = 'l1t3r4l-sentinel-text';
	const spec: SpecDoc = {
		stack: 'secrets',
		sessions: {
			vault: {
				task: 'Uses a token.',
				env: { API_TOKEN: '${API_TOKEN}', AUTH: 'Bearer ${API_TOKEN}', LIT: LITERAL },
			},
		},
	};

	/** Every output of plan, and the saved plan, for this value of API_TOKEN. */
	async function everything(
		file: string,
		value: string
	): Promise<{ text: string; outputs: string[] }> {
		const env = { API_TOKEN: value };
		const results = await Promise.all([
			plan(hub.current, dir.path, file, ['--format', 'text'], env),
			plan(hub.current, dir.path, file, ['--format', 'markdown'], env),
			plan(hub.current, dir.path, file, ['--format', 'json', '--out', 'plan.json'], env),
		]);
		for (const result of results) expect(result.code, result.stderr).toBe(0);
		const saved = await readFile(join(dir.path, 'plan.json'), 'utf8');
		return {
			text: results[0]!.stdout,
			outputs: [...results.flatMap((r) => [r.stdout, r.stderr]), saved],
		};
	}

	it('are absent from every plan output and the saved plan, before and after an apply', async () => {
		const file = await writeSpec(dir.path, 'sessions.yaml', spec);
		const created = await everything(file, SENTINEL);
		// Masked, with the variables each template reads (names only, as the spec shows them).
		expect(created.text).toContain('+ env.API_TOKEN: (sensitive; reads API_TOKEN)');
		expect(created.text).toContain('+ env.AUTH: (sensitive; reads API_TOKEN)');
		expect(created.text).toContain('+ env.LIT: (sensitive)\n');
		for (const output of created.outputs) {
			expect(output).not.toContain(SENTINEL);
			expect(output).not.toContain(LITERAL);
		}

		const applied = await applySpec(hub.current, file, {
			cwd: dir.path,
			env: { API_TOKEN: SENTINEL },
		});
		expect(applied.stdout + applied.stderr).not.toContain(SENTINEL);
		expect(applied.stdout + applied.stderr).not.toContain(LITERAL);
		const ids = await liveIdsByKey(hub.current, 'secrets');
		const detail = await hub.current.client.getSession(ids.vault!);
		expect(JSON.stringify(detail)).not.toContain(SENTINEL);
		expect(JSON.stringify(detail)).not.toContain(LITERAL);

		// The same value: nothing to do.
		const same = await plan(hub.current, dir.path, file, ['--detailed-exitcode'], {
			API_TOKEN: SENTINEL,
		});
		expect(same.code).toBe(0);

		const changed = await everything(file, CHANGED);
		expect(block(changed.text, 'replace', 'vault')).toMatch(
			/~ env\.API_TOKEN: \(sensitive, changed; reads API_TOKEN\)/
		);
		expect(block(changed.text, 'replace', 'vault')).toMatch(
			/~ env\.AUTH: \(sensitive, changed; reads API_TOKEN\)/
		);
		for (const output of changed.outputs) {
			expect(output).not.toContain(SENTINEL);
			expect(output).not.toContain(CHANGED);
			expect(output).not.toContain(LITERAL);
		}
		const parsed = JSON.parse(changed.outputs[4]!) as PlanJsonV1;
		expect(action(parsed, 'vault', 'replace').changes).toEqual([
			{
				field: 'env',
				envKeys: [
					{ key: 'API_TOKEN', change: 'changed' },
					{ key: 'AUTH', change: 'changed' },
					{ key: 'LIT', change: 'unchanged' },
				],
			},
		]);
	}, 120_000);
});

describe.concurrent('plan is read-only', () => {
	const dir = useTempDir();

	it('makes only list and get requests, whatever the plan holds', async ({ onTestFinished }) => {
		const hub = { current: await hubForTest(onTestFinished) };
		const spec: SpecDoc = {
			stack: 'readonly',
			sessions: {
				upd: { task: 'U.', label: 'U' },
				rep: { task: 'R.' },
				gone: { task: 'G.' },
				twin: { task: 'T.' },
			},
		};
		await applySpec(hub.current, await writeSpec(dir.path, 'v1.yaml', spec), { cwd: dir.path });
		await seedDuplicates(hub.current, 'readonly', 'twin', 1, { task: 'T.' });
		await seedUnmarked(hub.current);
		const file = await writeSpec(dir.path, 'v2.yaml', {
			stack: 'readonly',
			sessions: {
				upd: { task: 'U.', label: 'U2' },
				rep: { task: 'R2.' },
				twin: { task: 'T.' },
				fresh: { task: 'F.' },
			},
		});

		await hub.current.resetStats();
		const results = await Promise.all([
			plan(hub.current, dir.path, file, ['--detailed-exitcode']),
			plan(hub.current, dir.path, file, ['--format', 'json', '--out', 'saved.json']),
			plan(hub.current, dir.path, file, ['--format', 'markdown', '--only', 'gone']),
		]);
		expect(results.map((r) => r.code)).toEqual([2, 0, 0]);
		const parsed = JSON.parse(results[1]!.stdout) as PlanJsonV1;
		expect(parsed.summary).toMatchObject({
			create: 1,
			update: 1,
			replace: 1,
			dedupe: 1,
			archive: 1,
		});

		const stats = hub.current.stats();
		expect(Object.keys(stats).sort()).toEqual([...READS, 'total'].sort());
		// Three plans of 6 live sessions: one list page and 6 details each, and one list of
		// each other kind.
		expect(stats).toEqual({
			list: 3,
			get: 18,
			listAgents: 3,
			listBuckets: 3,
			listSkills: 3,
			listWorkspaces: 3,
			total: 33,
		});
		expect(parsed.hubCalls).toMatchObject({
			list: 1,
			get: 6,
			create: 0,
			update: 0,
			archive: 0,
			delete: 0,
			other: 0,
		});
	});
});

describe.concurrent('a slow, flaky or paging Hub', () => {
	const dir = useTempDir();
	const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
	const sessions = Object.fromEntries(keys.map((key) => [key, { task: `Task for ${key}` }]));

	it('plan reads through latency and 503s: exact, and still read-only', async ({
		onTestFinished,
	}) => {
		// Seeding is clean; once `faulty`, every 4th request is answered 503 (the SDK retries it).
		let faulty = false;
		let draws = 0;
		const random = () => (faulty ? (++draws % 4 === 0 ? 0 : 0.99) : 0.5 + Math.random() / 2);
		const hub = await hubForTest(onTestFinished, { latencyMs: 20, failRate: 0.2, random });
		await seedStack(hub, 'flaky', keys);
		const file = await writeSpec(dir.path, 'flaky.yaml', {
			stack: 'flaky',
			sessions: { ...sessions, g: { task: 'New.' } },
		});
		await hub.resetStats();
		faulty = true;
		const parsed = json(
			await plan(hub, dir.path, file, ['--format', 'json', '--parallelism', '3'])
		);
		expect(parsed.summary).toMatchObject({ create: 1, update: 0, replace: 0, noop: 6 });
		const stats = hub.stats();
		expect(stats['fault:503']).toBeGreaterThan(0);
		expect(
			Object.keys(stats)
				.filter((name) => !name.startsWith('fault:'))
				.sort()
		).toEqual([...READS, 'total'].sort());
	});

	// A Hub that caps `limit` below the client's page size answers short pages from the start;
	// stopping there would plan creates for sessions that exist.
	it('sees every session when the Hub caps the page size', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { maxPageSize: 4 });
		await seedStack(hub, 'paged', keys);
		const file = await writeSpec(dir.path, 'paged.yaml', { stack: 'paged', sessions });
		const parsed = json(await plan(hub, dir.path, file, ['--format', 'json']));
		expect(parsed.summary).toMatchObject({ create: 0, noop: 6 });
	});
});

describe.concurrent('bad input', () => {
	const hub = useLocalHub({}, 'all');
	const dir = useTempDir();
	const valid: SpecDoc = { stack: 'bad-input', sessions: { one: { task: 'One.' } } };

	it('a missing spec file: exit 1, a message, no stack trace, no Hub request', async ({
		onTestFinished,
	}) => {
		const own = await hubForTest(onTestFinished);
		const result = await plan(own, dir.path, 'nope.yaml');
		expectCleanError(result);
		expect(result.stderr).toContain('nope.yaml');
		expect(result.stdout).toBe('');
		expect(own.stats().total ?? 0).toBe(0);
	});

	it('no Hub configured: exit 1 at once, naming every way to name one', async () => {
		const file = await writeSpec(dir.path, 'no-hub.yaml', valid);
		// "At once": no Hub is named, so nothing is tried; the run's bound catches a hang.
		const result = await runCli(['plan', '-f', file], { cwd: dir.path });
		expect(result.signal, 'killed at the run bound').toBeNull();
		expectCleanError(result);
		for (const word of ['AGENTUITY_SDK_KEY', 'AGENTUITY_CODER_URL', '--local'])
			expect(result.stderr).toContain(word);
	});

	it('an unknown --format: exit 1', async () => {
		const file = await writeSpec(dir.path, 'format.yaml', valid);
		const result = await plan(hub.current, dir.path, file, ['--format', 'xml']);
		expectCleanError(result);
		expect(result.stderr).toMatch(/xml/);
		expect(result.stdout).toBe('');
	});

	it('an --out path that cannot be written: exit 1, no stack trace', async () => {
		const file = await writeSpec(dir.path, 'out.yaml', valid);
		const result = await plan(hub.current, dir.path, file, ['--out', 'no-such-dir/plan.json']);
		expectCleanError(result);
		expect(result.stderr).toContain('cannot write the plan to no-such-dir/plan.json');
	});

	it('--only naming no entry: exit 1 with the key', async () => {
		const file = await writeSpec(dir.path, 'only.yaml', valid);
		const result = await plan(hub.current, dir.path, file, ['--only', 'missing-key']);
		expectCleanError(result);
		expect(result.stderr).toContain('missing-key');
		expect(result.stdout).toBe('');
	});
});
