/**
 * The reference check end to end: the built CLI against a local Hub whose library (workspaces,
 * saved skills, skill buckets, custom agents) comes from fixtures, read through the SDK.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { LocalFixturesInput } from '../../src/hub-emulator/index.js';
import type { PlanJsonV1 } from '../../src/render/json.js';
import { startProxy } from '../support/apply-helpers.js';
import { runCli, type CliResult } from '../support/cli.js';
import { cli, hubForTest, useTempDir, type TestHub, writeSpec } from '../support/local-hub.js';

const LIBRARY: LocalFixturesInput = {
	skills: [{ id: 'skill_pdf', repo: 'agentuity/skills', skillId: 'pdf', name: 'PDF tools' }],
	buckets: [{ id: 'skbkt_writing', name: 'writing', savedSkillIds: ['skill_pdf'] }],
	workspaces: [{ id: 'ws_docs', name: 'docs', repos: [{ fullName: 'agentuity/docs' }] }],
	agents: [
		{
			id: 'agent_writer',
			slug: 'doc-writer',
			displayName: 'Doc writer',
			instructions: 'Write the docs.',
		},
	],
};

const GOOD = `version: 1
stack: refs
sessions:
  by-id:
    task: Names everything by id.
    workspaceId: ws_docs
    savedSkillIds: [skill_pdf]
    skillBucketIds: [skbkt_writing]
    agent: agent_writer
  by-slug:
    task: Names the agent by slug, next to built-ins.
    workspaceId: ws_docs
    defaultAgent: doc-writer
    enabledAgents: [builder, doc-writer, lead]
`;

/** Line numbers matter: each error points at its entry's declaration. */
const BAD = `version: 1
stack: refs
sessions:
  again:
    task: The same bad workspace and agent, once more.
    workspaceId: ws_does_not_exist
    enabledAgents: [no-such-agent, lead]
  agent:
    task: An unknown agent and a typo of a slug.
    agent: no-such-agent
    defaultAgent: doc-writr
  bucket:
    task: A bucket by its name.
    skillBucketIds: [writing]
  skill:
    task: One saved skill that exists, one that does not.
    savedSkillIds: [skill_pdf, skill_nope]
  ws:
    task: A workspace that does not exist.
    workspaceId: ws_does_not_exist
`;

const AGENT_NOT_FOUND = (name: string) =>
	`agent "${name}" is neither a built-in agent (lead, scout, builder, reviewer) nor a custom agent's id or slug on the Hub`;

const BAD_ERRORS = [
	'bad.yaml:4:3: sessions.again.workspaceId: no workspace "ws_does_not_exist" on the Hub',
	`bad.yaml:4:3: sessions.again.enabledAgents[0]: ${AGENT_NOT_FOUND('no-such-agent')}`,
	`bad.yaml:8:3: sessions.agent.agent: ${AGENT_NOT_FOUND('no-such-agent')}`,
	`bad.yaml:8:3: sessions.agent.defaultAgent: ${AGENT_NOT_FOUND('doc-writr')}; did you mean doc-writer?`,
	'bad.yaml:12:3: sessions.bucket.skillBucketIds[0]: no skill bucket "writing" on the Hub; did you mean skbkt_writing (named "writing")?',
	'bad.yaml:15:3: sessions.skill.savedSkillIds[1]: no saved skill "skill_nope" on the Hub',
	'bad.yaml:18:3: sessions.ws.workspaceId: no workspace "ws_does_not_exist" on the Hub',
];

const LIBRARY_ROUTES = [
	'listWorkspaces',
	'getWorkspace',
	'listSkills',
	'listBuckets',
	'listAgents',
	'getAgent',
];

/** Library requests by route, leaving out routes not called. */
const libraryCalls = (hub: TestHub) => {
	const stats = hub.stats();
	return Object.fromEntries(
		LIBRARY_ROUTES.filter((route) => (stats[route] ?? 0) > 0).map((route) => [route, stats[route]])
	);
};

const writes = (hub: TestHub) => {
	const stats = hub.stats();
	return ['create', 'update', 'archive', 'delete'].map((route) => stats[route] ?? 0);
};

function expectCleanError(result: CliResult): void {
	expect(result.code, result.stdout + result.stderr).toBe(1);
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
	expect(result.stderr).not.toContain('Internal error');
}

describe.concurrent('reference check against a Hub with a library', () => {
	const dir = useTempDir();
	const write = (name: string, text: string) => writeSpec(dir.path, name, text);

	it('passes references the Hub holds: one list per kind, no lookup for a listed id', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY });
		const file = await write('good.yaml', GOOD);
		const result = await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path });
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect((JSON.parse(result.stdout) as PlanJsonV1).summary).toMatchObject({ create: 2 });
		expect(libraryCalls(hub)).toEqual({
			listWorkspaces: 1,
			listSkills: 1,
			listBuckets: 1,
			listAgents: 1,
		});
		const applied = await cli(hub, ['apply', '--auto-approve', '-f', file], { cwd: dir.path });
		expect(applied.code, applied.stderr).toBe(0);
		expect(writes(hub)[0]).toBe(2);
	});

	it('built-in agents pass with no Hub lookup at all', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY });
		const file = await write(
			'built-in.yaml',
			`version: 1\nstack: refs\nsessions:\n  team:\n    task: Built-ins only.\n    agent: lead\n    defaultAgent: builder\n    enabledAgents: [builder, reviewer, scout]\n`
		);
		const result = await cli(hub, ['plan', '-f', file], { cwd: dir.path });
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toBe('');
		// The plan's one list of each kind; the check looks nothing up.
		expect(libraryCalls(hub)).toEqual(KIND_LISTS(1));
	});

	it('names every bad reference at its entry, looking each distinct id up once; exit 1', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY });
		const file = await write('bad.yaml', BAD);
		const result = await cli(hub, ['plan', '-f', file, '--out', 'never.json'], { cwd: dir.path });
		expectCleanError(result);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(
			[
				...BAD_ERRORS,
				'7 errors in bad.yaml',
				'Fix the spec, create what it names on the Hub, or pass --no-reference-check.',
				'',
			].join('\n')
		);
		// ws_does_not_exist and no-such-agent are named twice each, looked up once each.
		expect(libraryCalls(hub)).toEqual({
			listWorkspaces: 1,
			getWorkspace: 1,
			listSkills: 1,
			listBuckets: 1,
			listAgents: 1,
			getAgent: 2,
		});
	});

	it('an empty id names nothing: refused by the spec where it is written, even with --no-reference-check, before any request', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY, strict: false });
		const file = await write(
			'empty-ids.yaml',
			`version: 1\nstack: refs\nsessions:\n  blank:\n    task: Empty ids.\n    workspaceId: ''\n    agent: ''\n    enabledAgents: ['', lead]\n`
		);
		for (const flags of [[], ['--no-reference-check']]) {
			const result = await cli(hub, ['apply', '--auto-approve', ...flags, '-f', file], {
				cwd: dir.path,
			});
			expectCleanError(result);
			expect(result.stderr).toBe(
				[
					'empty-ids.yaml:6:18: sessions.blank.workspaceId: must not be empty: write a workspace id (or workspace: with a key under workspaces), or leave the field out',
					'empty-ids.yaml:7:12: sessions.blank.agent: must not be empty: write an agent id, or leave the field out',
					'empty-ids.yaml:8:21: sessions.blank.enabledAgents[0]: must not be empty: write an agent id, or remove the item',
					'3 errors in empty-ids.yaml',
					'',
				].join('\n')
			);
		}
		expect(libraryCalls(hub)).toEqual({});
		expect(writes(hub)).toEqual([0, 0, 0, 0]);
	});

	it('apply runs the same check and writes nothing', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY });
		const file = await write('apply-bad.yaml', BAD);
		const result = await cli(hub, ['apply', '--auto-approve', '-f', file], { cwd: dir.path });
		expectCleanError(result);
		expect(result.stderr).toContain('sessions.ws.workspaceId: no workspace "ws_does_not_exist"');
		expect(writes(hub)).toEqual([0, 0, 0, 0]);
	});

	it('--no-reference-check skips it: no library request, and apply goes through (on a Hub that takes unknown ids)', async ({
		onTestFinished,
	}) => {
		// The strict local Hub refuses creates naming what it does not hold, as a real one would.
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY, strict: false });
		const file = await write('skipped.yaml', BAD);
		const planned = await cli(hub, ['plan', '-f', file, '--no-reference-check'], {
			cwd: dir.path,
		});
		expect(planned.stderr).toBe('');
		expect(planned.code).toBe(0);
		const applied = await cli(
			hub,
			['apply', '--auto-approve', '--no-reference-check', '-f', file],
			{ cwd: dir.path }
		);
		expect(applied.code, applied.stderr).toBe(0);
		// Only the lists each plan makes of every kind (plan, then apply's own).
		expect(libraryCalls(hub)).toEqual(KIND_LISTS(2));
		expect(writes(hub)[0]).toBe(5);

		// Applied sessions are left alone: an unchanged plan checks nothing.
		const again = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir.path });
		expect(again.stderr).toBe('');
		expect(again.code).toBe(0);
		expect(libraryCalls(hub)).toEqual(KIND_LISTS(3));
	});

	it('--no-reference-check against a Hub that refuses unknown ids: the creates fail with its reason', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY });
		const file = await write('strict-skipped.yaml', BAD);
		const applied = await cli(
			hub,
			['apply', '--auto-approve', '--no-reference-check', '-f', file],
			{ cwd: dir.path }
		);
		expect(applied.code, applied.stderr).toBe(5);
		expect(applied.stdout + applied.stderr).toContain(
			'workspaceId: no workspace ws_does_not_exist'
		);
		expect(libraryCalls(hub)).toEqual(KIND_LISTS(1));
	});

	it('apply of a plan saved with --no-reference-check carries it out as reviewed: no check, saying so', async ({
		onTestFinished,
	}) => {
		// The strict local Hub would refuse the create naming what it does not hold.
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY, strict: false });
		const file = await write('saved.yaml', BAD);
		const planned = await cli(
			hub,
			['plan', '-f', file, '--no-reference-check', '--out', 'saved.json'],
			{ cwd: dir.path }
		);
		expect(planned.code, planned.stderr).toBe(0);
		const before = libraryCalls(hub);
		const applied = await cli(hub, ['apply', 'saved.json'], { cwd: dir.path });
		expect(applied.code, applied.stderr).toBe(0);
		expect(applied.stderr).toContain(
			'The reference check is skipped: the plan was made with --no-reference-check, and apply carries it out as it was reviewed.'
		);
		// Apply read the library as the plan did, and no more.
		expect(libraryCalls(hub)).toEqual(
			Object.fromEntries(Object.entries(before).map(([call, count]) => [call, 2 * (count ?? 0)]))
		);
		expect(writes(hub)[0]).toBeGreaterThan(0);
	});

	it('an update checks the agents it adds, not those already there', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY, strict: false });
		const spec = (roster: string) =>
			`version: 1\nstack: refs\nsessions:\n  team:\n    task: A roster.\n    enabledAgents: [${roster}]\n`;
		const first = await write('roster-1.yaml', spec('ghost'));
		const applied = await cli(
			hub,
			['apply', '--auto-approve', '--no-reference-check', '-f', first],
			{ cwd: dir.path }
		);
		expect(applied.code, applied.stderr).toBe(0);
		const added = await write('roster-2.yaml', spec('ghost, doc-writer'));
		const fine = await cli(hub, ['plan', '-f', added, '--detailed-exitcode'], { cwd: dir.path });
		expect(fine.code, fine.stderr).toBe(2);
		expect(libraryCalls(hub)).toEqual(KIND_LISTS(2));
		const typo = await write('roster-3.yaml', spec('ghost, doc-writr'));
		const refused = await cli(hub, ['plan', '-f', typo], { cwd: dir.path });
		expectCleanError(refused);
		expect(refused.stderr).toContain(
			`roster-3.yaml:4:3: sessions.team.enabledAgents[1]: ${AGENT_NOT_FOUND('doc-writr')}; did you mean doc-writer?`
		);
		expect(refused.stderr).not.toContain('"ghost"');
	});

	it('a Hub without a library route skips that kind with a note and checks the rest', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY });
		const proxy = await startProxy(hub.url, (request) =>
			request.path.startsWith('/api/hub/workspaces')
				? { status: 404, body: { error: 'Not Found' } }
				: undefined
		);
		onTestFinished(() => proxy.close());
		const file = await write('old-hub.yaml', GOOD.replace('skill_pdf', 'skill_nope'));
		const result = await runCli(['plan', '-f', file, '--url', proxy.url], { cwd: dir.path });
		expectCleanError(result);
		expect(result.stderr).toBe(
			[
				'reference check: this Hub cannot list workspaces, so workspace references were not checked',
				'old-hub.yaml:4:3: sessions.by-id.savedSkillIds[0]: no saved skill "skill_nope" on the Hub',
				'1 error in old-hub.yaml',
				'Fix the spec, create what it names on the Hub, or pass --no-reference-check.',
				'',
			].join('\n')
		);
		expect(proxy.log.filter((r) => r.path.startsWith('/api/hub/workspaces'))).toHaveLength(1);

		const good = await write('old-hub-good.yaml', GOOD);
		const passed = await runCli(['plan', '-f', good, '--url', proxy.url, '--format', 'json'], {
			cwd: dir.path,
		});
		expect(passed.code, passed.stderr).toBe(0);
		expect((JSON.parse(passed.stdout) as PlanJsonV1).notes).toEqual([
			'reference check: this Hub cannot list workspaces, so workspace references were not checked',
		]);
	});
});

/** Each plan lists every kind once (the other kinds it plans); the check reads no list again. */
const KIND_LISTS = (plans: number) => ({
	listAgents: plans,
	listBuckets: plans,
	listSkills: plans,
	listWorkspaces: plans,
});

describe('--local and .coder-sessions/hub-fixtures.yaml', () => {
	const dir = useTempDir();

	it('checks against what the local Hub holds, with or without a fixture', async () => {
		const cwd = join(dir.path, 'local');
		await mkdir(join(cwd, '.coder-sessions'), { recursive: true });
		await writeFile(join(cwd, 'bad.yaml'), BAD);
		// The plan lists every kind the references name: the check needs no fixture to run.
		const bare = await runCli(['plan', '--local', '-f', 'bad.yaml'], { cwd });
		expectCleanError(bare);
		expect(bare.stderr).toContain('no workspace "ws_does_not_exist" on the Hub');
		expect(bare.stderr).not.toContain('reference check skipped');

		await writeFile(join(cwd, '.coder-sessions/hub-fixtures.yaml'), stringify(LIBRARY));
		const checked = await runCli(['plan', '--local', '-f', 'bad.yaml'], { cwd });
		expectCleanError(checked);
		expect(checked.stderr).toContain(BAD_ERRORS.join('\n'));
	});
});
