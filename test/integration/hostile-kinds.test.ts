/**
 * Hostile Hub text in the agents, workspaces, saved skills and skill buckets of a stack (and in
 * records of no stack beside them): names, descriptions, instructions, skill content, workspace
 * repos, prompts and scripts holding terminal escapes, workflow commands after line breaks of
 * every kind, bidi overrides, fence breakers and HTML. Every output (plan in each format, a saved
 * plan shown, status, drift, export, the `--verbose` call log, apply's JSONL events) keeps them
 * inert, and `export` writes a spec that loads, leaving out (with a warning) what a spec cannot
 * hold. Real CLI and CoderClient, local Hub on 127.0.0.1.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, onTestFinished } from 'vitest';
import { markedDescription } from '../../src/kinds/description-marker.js';
import type { Owner } from '../../src/kinds/kind.js';
import { projectRoot, runCli, type CliResult } from '../support/cli.js';
import { applySpec, cli, hubAndDirForTest, writeSpec, type TestHub } from '../support/local-hub.js';
import { startProxy } from '../support/apply-helpers.js';
import { HOSTILE, textProblems, type Format } from '../support/hostile-text.js';

const STACK = 'docs-setup';
const EXAMPLE = join(projectRoot, 'examples/team/coder.yaml');

/** One line of text the Hub may hold, with the encoded and Unicode line breaks too. */
const TEXT = `${HOSTILE} %0A::error::percent-encoded \u0085::error::after NEL \u2029::warning::after PS`;
/** Many lines, for the fields plans diff line by line. */
const LINES = [
	'first line',
	'::error::a line of its own',
	'  ::notice::indented',
	'```',
	'</details>',
	'| cell | break |',
	TEXT,
].join('\n');

const owner = (key: string): Owner => ({ stack: STACK, key });
const API_KEY = 'sk-Hub-Echoed-Api-Key-4711';

/** The example applied, then every record of it edited by hand with hostile text. */
async function hostileTeam(hub: TestHub, dir: string) {
	await copyFile(EXAMPLE, join(dir, 'coder.yaml'));
	const applied = await cli(hub, ['apply', '--auto-approve', '-f', 'coder.yaml'], { cwd: dir });
	expect(applied.code, applied.stdout + applied.stderr).toBe(0);
	const { client } = hub;
	const agent = (await client.listCustomAgents()).agents[0]!;
	await client.updateCustomAgent(agent.id, {
		displayName: TEXT,
		description: markedDescription(owner('reviewer'), LINES),
		instructions: LINES,
		model: TEXT,
	});
	await client.publishCustomAgent(agent.id);
	const workspace = (await client.listWorkspaces()).workspaces[0]!;
	await client.updateWorkspace(workspace.id, {
		name: TEXT,
		description: markedDescription(owner('docs'), LINES),
		systemPrompt: LINES,
		setupScript: LINES,
		dependencies: [TEXT],
		repos: [{ fullName: TEXT }],
	});
	const skills = (await client.listSavedSkills()).skills;
	const custom = skills.find((skill) => skill.source === 'custom')!;
	await client.createCustomSkill({
		skillId: custom.skillId,
		name: TEXT,
		description: markedDescription(owner('style-guide'), LINES),
		content: LINES,
	});
	const fromRepo = skills.find((skill) => skill.source !== 'custom')!;
	await client.saveSkill({
		repo: fromRepo.repo,
		skillId: fromRepo.skillId,
		name: TEXT,
		description: markedDescription(owner('release-notes'), LINES),
		url: TEXT,
	});
	// A bucket of the stack the spec no longer declares (deleted by prune), and records of nobody.
	await client.createSkillBucket({
		name: TEXT,
		description: markedDescription(owner('gone-kit'), LINES),
		savedSkillIds: [custom.id],
	});
	await client.createSkillBucket({ name: TEXT, description: LINES });
	await client.createCustomSkill({
		skillId: 'theirs',
		name: TEXT,
		description: LINES,
		content: LINES,
	});
	await client.createCustomAgent({
		slug: 'theirs',
		displayName: TEXT,
		description: LINES,
		instructions: LINES,
	});
	return { agent, workspace, custom, fromRepo };
}

function outputProblems(result: CliResult, format: Format, what: string): string[] {
	return [
		...textProblems(result.stdout, format, `${what} stdout`),
		...textProblems(result.stderr, 'text', `${what} stderr`),
	];
}

describe('hostile text in agents, workspaces, saved skills and skill buckets', () => {
	it('stays inert in plan, show, status, drift, export, the call log and apply events', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'hostile-kinds-');
		await hostileTeam(hub, dir);
		const spec = `${await readFile(join(dir, 'coder.yaml'), 'utf8')}\nprune: delete\n`;
		await writeFile(join(dir, 'team.yaml'), spec);
		const run = (args: string[]) => cli(hub, args, { cwd: dir });
		const outputs: [string, Format, CliResult][] = [];
		const record = async (what: string, format: Format, args: string[]) => {
			const result = await run(args);
			outputs.push([what, format, result]);
			return result;
		};
		const f = ['-f', 'team.yaml'];
		await record('plan', 'text', ['plan', ...f, '--out', 'team.plan', '--verbose']);
		await record('plan markdown', 'markdown', ['plan', ...f, '--format', 'markdown']);
		const planJson = await record('plan json', 'json', ['plan', ...f, '--format', 'json']);
		await record('show', 'text', ['show', 'team.plan']);
		await record('show markdown', 'markdown', ['show', 'team.plan', '--format', 'markdown']);
		await record('status', 'text', ['status', ...f]);
		await record('status json', 'json', ['status', ...f, '--format', 'json']);
		await record('drift', 'text', ['drift', ...f]);
		await record('drift json', 'json', ['drift', ...f, '--format', 'json']);
		const exported = await record('export', 'text', ['export', '--stack', STACK, '--all']);
		const events = await record('apply jsonl', 'text', [
			'apply',
			'--auto-approve',
			...f,
			'--format',
			'jsonl',
			'--verbose',
		]);

		for (const [what, , result] of outputs) {
			expect(result.code, `${what}\n${result.stderr}`).not.toBe(1);
			expect(result.stderr, what).not.toMatch(/Internal error|\n\s+at /);
		}
		expect(events.code, events.stderr).toBe(0);
		expect(
			outputs.flatMap(([what, format, result]) => outputProblems(result, format, what))
		).toEqual([]);
		for (const line of events.stdout.trim().split('\n'))
			expect(() => JSON.parse(line)).not.toThrow();
		// JSON holds the exact values the Hub holds.
		expect(planJson.stdout).toContain(JSON.stringify(LINES).slice(1, 20));

		// The exported spec loads as it is; what a spec cannot hold is left out, and says so.
		expect(exported.code, exported.stderr).toBe(0);
		await writeFile(join(dir, 'exported.yaml'), exported.stdout);
		const validated = await runCli(['validate', '-f', 'exported.yaml'], { cwd: dir });
		expect(validated.code, validated.stderr).toBe(0);
		const document = parse(exported.stdout) as Record<string, Record<string, unknown>>;
		expect(Object.keys(document.skills ?? {})).toEqual(['release-notes']);
		expect(Object.keys(document.workspaces ?? {})).toEqual(['docs']);
		expect(document.agents).toBeUndefined();
		expect(exported.stderr).toContain('skills.style-guide: left out: skill_');
		expect(exported.stderr).toContain(
			"workspaces.docs: systemPrompt left out: the Hub's value contains the control character U+001B, which a spec cannot hold"
		);
		expect(exported.stderr).toMatch(
			/agents\.reviewer: left out: hagent_\w+: .*the entry needs instructions/
		);

		const again = await run(['plan', ...f, '--detailed-exitcode']);
		expect(again.code, again.stdout + again.stderr).toBe(0);
	});

	it('a secret the Hub echoes into them never reaches a file export or import writes', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'hostile-kinds-secret-');
		await copyFile(EXAMPLE, join(dir, 'coder.yaml'));
		const env = { AGENTUITY_SDK_KEY: API_KEY };
		const run = (args: string[]) => cli(hub, args, { cwd: dir, env });
		const applied = await run(['apply', '--auto-approve', '-f', 'coder.yaml']);
		expect(applied.code, applied.stderr).toBe(0);
		const { client } = hub;
		const workspace = (await client.listWorkspaces()).workspaces[0]!;
		await client.updateWorkspace(workspace.id, {
			name: `Docs ${API_KEY}`,
			systemPrompt: `Percent-encoded: ${encodeURIComponent(JSON.stringify(API_KEY))}`,
			setupScript: `echo ${Buffer.from(`{"key":"${API_KEY}"}`).toString('base64')}`,
		});
		// A session's label too: export writes sessions through the same check.
		const [session] = (await client.listSessions({ limit: 10 })).sessions;
		await client.updateSession(session!.sessionId, { label: `Label ${API_KEY}` });
		const agent = await client.createCustomAgent({
			slug: 'by-hand',
			displayName: 'By hand',
			instructions: `Call with ${JSON.stringify({ key: API_KEY })}`,
		});

		const exported = await run(['export', '--stack', STACK, '--write', 'exported.yaml']);
		const imported = await run([
			'import',
			`agents.by-hand=${agent.id}`,
			'-f',
			'coder.yaml',
			'--write',
			'imported.yaml',
		]);
		expect(exported.code, exported.stderr).toBe(0);
		const written = {
			exported: await readFile(join(dir, 'exported.yaml'), 'utf8'),
			imported: await readFile(join(dir, 'imported.yaml'), 'utf8'),
		};
		const echoes = [
			API_KEY,
			encodeURIComponent(API_KEY),
			Buffer.from(`"${API_KEY}"`).toString('base64').slice(2, 20),
		];
		for (const text of [
			written.exported,
			written.imported,
			exported.stdout + exported.stderr,
			imported.stdout + imported.stderr,
		])
			for (const echo of echoes) expect(text).not.toContain(echo);
		// The rest of the record is written, and what was left out is named.
		expect(written.exported).toMatch(/workspaces:\n {2}docs:\n/);
		for (const field of ['name', 'systemPrompt', 'setupScript'])
			expect(exported.stderr).toContain(
				`workspaces.docs: ${field} left out: the Hub's value holds a secret (an env value or the API key), which is never written`
			);
		expect(exported.stderr).toContain("api-review: label left out: the Hub's value holds a secret");
		expect(imported.stderr).toContain('agents.by-hand: instructions left out');
	});
});

describe("hostile record ids in the plan's refusals", () => {
	/** An id a hostile Hub could give a record: line breaks of every kind before workflow commands. */
	const HOSTILE_ID = 'hagent_x\n::error::pwned\u001b[31m\r##[warning]w\u2028::notice::n';

	const reviewer = (stack: string) =>
		['version: 1', `stack: ${stack}`, 'sessions: {}', 'agents:', '  reviewer:'].join('\n') +
		'\n    instructions: Review the docs.\n';

	/** A proxy that gives the agent `id` the hostile id in every answer listing agents. */
	async function hostileIds(hub: TestHub, id: string) {
		const proxy = await startProxy(hub.url, (request) =>
			request.path.startsWith('/api/hub/agents')
				? {
						rewriteAnswer: (text) =>
							text.replaceAll(JSON.stringify(id), JSON.stringify(HOSTILE_ID)),
					}
				: undefined
		);
		onTestFinished(() => proxy.close());
		return proxy;
	}

	/** Each refusal line holds the id escaped, on the line it belongs to, and nothing obeys it. */
	function expectOneLineRefusal(result: CliResult, line: RegExp) {
		expect(result.code, result.stdout + result.stderr).toBe(1);
		expect(outputProblems(result, 'text', 'refusal')).toEqual([]);
		expect(result.stderr).toMatch(line);
		expect(result.stderr).not.toMatch(/\n\s+at /);
	}

	it('a collision with a record of another stack', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'hostile-id-collision-');
		await applySpec(hub, await writeSpec(dir, 'web.yaml', reviewer('web')), { cwd: dir });
		const theirs = (await hub.client.listCustomAgents()).agents[0]!;
		const proxy = await hostileIds(hub, theirs.id);
		const ops = await writeSpec(dir, 'ops.yaml', reviewer('ops'));
		const refused = await cli(proxy.url, ['plan', '-f', ops], {
			cwd: dir,
			env: { GITHUB_ACTIONS: 'true' },
		});
		expectOneLineRefusal(
			refused,
			/^ {2}- agents\.reviewer: custom agent hagent_x\S*::error::pwned\S* already has the slug "reviewer"; it belongs to stack web: .*\(adopt: hagent_x\S*\)$/m
		);
	});

	it('a replace the Hub cannot make', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'hostile-id-replace-');
		const file = await writeSpec(dir, 'web.yaml', reviewer('web'));
		await applySpec(hub, file, { cwd: dir });
		const ours = (await hub.client.listCustomAgents()).agents[0]!;
		const proxy = await hostileIds(hub, ours.id);
		const refused = await cli(proxy.url, ['plan', '-f', file, '--replace', 'agents.reviewer'], {
			cwd: dir,
			env: { GITHUB_ACTIONS: 'true' },
		});
		expectOneLineRefusal(
			refused,
			/^ {2}- agents\.reviewer: the new agent would take the slug "reviewer", which custom agent hagent_x\S*::error::pwned\S* keeps once archived .*$/m
		);
	});
});
