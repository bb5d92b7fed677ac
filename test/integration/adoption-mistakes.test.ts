/**
 * Mistakes made while adopting what a team made by hand: an archived record, or an id of one
 * kind given where another kind's is expected (a workspace id to `import` as a
 * session, a session id in an agent's `adopt:`): the error names the kind the id is of and what
 * to write instead, and nothing is written to the Hub. The built CLI against a local Hub; the
 * hand-made records are made through the SDK's CoderClient.
 */
import { describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.js';
import {
	cli,
	hubAndDirForTest,
	seedSession,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';

function expectRefused(result: CliResult): void {
	expect(result.code, result.stdout + result.stderr).toBe(1);
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
	expect(result.stderr).not.toContain('Internal error');
}

/** The routes that write, by the local Hub's request counters. */
function writesCounted(hub: TestHub): string[] {
	return Object.keys(hub.stats()).filter((route) =>
		/create|update|archive|delete|publish|save|refresh/i.test(route)
	);
}

async function handMade(hub: TestHub) {
	const workspace = await hub.client.createWorkspace({
		name: 'Docs monorepo',
		dependencies: ['git'],
	});
	const agent = await hub.client.createCustomAgent({
		slug: 'doc-writer',
		displayName: 'Doc writer',
		instructions: 'You write clear docs.',
	});
	const session = await seedSession(hub, { task: 'Rewrite the install guide', label: 'Install' });
	await hub.resetStats();
	return { workspace: workspace.id, agent: agent.id, session };
}

describe.concurrent('an id of another kind', () => {
	it('import SESSION_ID given a workspace id names the kind and the import to run', async ({
		onTestFinished,
	}) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const ids = await handMade(hub);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: 'docs-team', sessions: {} });
		const result = await cli(hub, ['import', ids.workspace, '-f', file, '--write'], {
			cwd: dir,
		});
		expectRefused(result);
		expect(result.stderr).toBe(
			`Error: ${ids.workspace} is a workspace, not a session: run coder-sessions import workspaces.KEY=${ids.workspace} --write\n`
		);
		expect(writesCounted(hub)).toEqual([]);
	});

	it('import agents.KEY=ID given a session id names the import to run', async ({
		onTestFinished,
	}) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const ids = await handMade(hub);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: 'docs-team', sessions: {} });
		const asAgent = await cli(
			hub,
			['import', `agents.install=${ids.session}`, '-f', file, '--write'],
			{ cwd: dir }
		);
		expectRefused(asAgent);
		expect(asAgent.stderr).toBe(
			`Error: import agents.install: ${ids.session} is a session, not an agent: run coder-sessions import ${ids.session} --key install --write\n`
		);
		const asWorkspace = await cli(
			hub,
			['import', `workspaces.writer=${ids.agent}`, '-f', file, '--write'],
			{ cwd: dir }
		);
		expectRefused(asWorkspace);
		expect(asWorkspace.stderr).toBe(
			`Error: import workspaces.writer: ${ids.agent} is an agent, not a workspace: run coder-sessions import agents.writer=${ids.agent} --write\n`
		);
		expect(writesCounted(hub)).toEqual([]);
	});

	it("adopt: of a session entry naming a workspace says to move it, at the entry's place", async ({
		onTestFinished,
	}) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const ids = await handMade(hub);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: 'docs-team',
			sessions: { docs: { task: 'Docs', adopt: ids.workspace } },
		});
		const planned = await cli(hub, ['plan', '-f', file], { cwd: dir });
		expectRefused(planned);
		expect(planned.stderr).toBe(
			`Cannot plan: 1 problem with adopt:\n  sessions.yaml:4:3: sessions.docs.adopt: ${ids.workspace} is a workspace, not a session: adopt it in an entry under workspaces:\n`
		);
		expect(writesCounted(hub)).toEqual([]);
	});

	it('adopt: of an agent entry naming a session says to move it', async ({ onTestFinished }) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const ids = await handMade(hub);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: 'docs-team',
			sessions: {},
			agents: { writer: { instructions: 'You write clear docs.', adopt: ids.session } },
		});
		const planned = await cli(hub, ['plan', '-f', file], { cwd: dir });
		expectRefused(planned);
		expect(planned.stderr).toContain(
			`sessions.yaml:5:3: agents.writer.adopt: ${ids.session} is a session, not an agent: adopt it in an entry under sessions:`
		);
		expect(writesCounted(hub)).toEqual([]);
	});

	it('import sessions.KEY=ID says how a session is imported', async ({ onTestFinished }) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const ids = await handMade(hub);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: 'docs-team', sessions: {} });
		const result = await cli(hub, ['import', `sessions.install=${ids.session}`, '-f', file], {
			cwd: dir,
		});
		expectRefused(result);
		expect(result.stderr).toBe(
			`Error: import sessions.install=${ids.session}: a session is imported by its id alone: run coder-sessions import ${ids.session} --key install\n`
		);
		expect(writesCounted(hub)).toEqual([]);
	});
});

describe.concurrent('an archived record', () => {
	it('import agents.KEY=ID of an archived agent says it is archived (exit 1)', async ({
		onTestFinished,
	}) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const agent = await hub.client.createCustomAgent({
			slug: 'old-bot',
			displayName: 'Old bot',
			instructions: 'Retired.',
		});
		await hub.client.archiveCustomAgent(agent.id);
		await hub.resetStats();
		const file = await writeSpec(dir, 'sessions.yaml', { stack: 'docs-team', sessions: {} });
		const result = await cli(hub, ['import', `agents.old-bot=${agent.id}`, '-f', file, '--write'], {
			cwd: dir,
		});
		expectRefused(result);
		expect(result.stderr).toBe(
			`Error: import agents.old-bot: agent ${agent.id} is archived, which cannot be undone: an archived agent is never adopted\n`
		);
		expect(writesCounted(hub)).toEqual([]);
	});

	it("adopt: of an archived agent says it is archived, at the entry's place", async ({
		onTestFinished,
	}) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const agent = await hub.client.createCustomAgent({
			slug: 'old-bot',
			displayName: 'Old bot',
			instructions: 'Retired.',
		});
		await hub.client.archiveCustomAgent(agent.id);
		await hub.resetStats();
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: 'docs-team',
			sessions: {},
			agents: { 'old-bot': { instructions: 'Retired.', adopt: agent.id } },
		});
		const planned = await cli(hub, ['plan', '-f', file], { cwd: dir });
		expectRefused(planned);
		expect(planned.stderr).toContain(
			`sessions.yaml:5:3: agents.old-bot.adopt: agent ${agent.id} is archived, which cannot be undone: an archived agent is never adopted; remove adopt: to create a new one`
		);
		expect(writesCounted(hub)).toEqual([]);
	});

	it('import of a session whose task differs from the entry says how to review the replace', async ({
		onTestFinished,
	}) => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished);
		const id = await seedSession(hub, { task: 'Fix broken links in the blog', label: 'Links' });
		await hub.resetStats();
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: 'docs-team',
			sessions: { links: { task: 'Fix broken links everywhere' } },
		});
		const result = await cli(hub, ['import', id, '--key', 'links', '-f', file, '--auto-approve'], {
			cwd: dir,
		});
		expectRefused(result);
		expect(result.stderr).toBe(
			`Error: import adopts sessions as they are, but links would be replaced (a create-time field differs from the spec): make the entry match the session, or write adopt: ${id} in it and review the replace with plan\n`
		);
		expect(writesCounted(hub)).toEqual([]);
	});
});
