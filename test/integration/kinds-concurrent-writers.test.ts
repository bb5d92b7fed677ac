/**
 * An apply of the team setup (examples/team/coder.yaml) that planned before another command
 * forgot one of its records: the write the plan made reads the record again first, finds it no
 * longer the stack's and leaves it alone, as a session's write does. The holding proxy orders the
 * two commands as two processes may interleave, without relying on timing.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHoldingProxy, type HoldPoint } from '../support/holding-proxy.js';
import { CLI_TIMEOUT_MS, projectRoot } from '../support/cli.js';
import { cli, hubAndDirForTest, type TestHub } from '../support/local-hub.js';
import { connect } from '../../src/hub/client.js';
import { BUILT_IN_KINDS } from '../../src/kinds/table.js';
import { forgetRecords } from '../../src/operations/forget-records.js';
import { loadSpecOrFail } from '../../src/operations/planning.js';

/** Past the default request deadline: the held request must outlast the other command's run. */
const HELD_DEADLINE_S = 80;
const REVIEWER = /agents: # custom agents[\s\S]*?(?=workspaces:)/;

/** The agents list read again after the plan's: where a write to an agent starts. */
const agentsReadAgain: HoldPoint = (request) =>
	request.method === 'GET' &&
	request.path.split('?')[0] === '/api/hub/agents' &&
	request.earlier > 0;

async function teamSetupApplied() {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-writers-');
	await copyFile(join(projectRoot, 'examples/team/coder.yaml'), join(dir, 'coder.yaml'));
	const team = await readFile(join(dir, 'coder.yaml'), 'utf8');
	// The spec without the agent: nothing names it any more, so forget may let it go.
	const without = team
		.replace(REVIEWER, '')
		.replace('enabledAgents: [reviewer, lead]', 'enabledAgents: [lead]')
		.replace(/agent: reviewer\b.*/, 'agent: lead');
	await writeFile(join(dir, 'without.yaml'), without);
	await writeFile(
		join(dir, 'edited.yaml'),
		team.replace('Review docs for tone and accuracy.', 'Review docs for tone only.')
	);
	const applied = await cli(hub, ['apply', '--auto-approve', '-f', 'coder.yaml'], { cwd: dir });
	expect(applied.code, applied.stdout + applied.stderr).toBe(0);
	return { hub, dir };
}

async function theAgent(hub: TestHub) {
	const { agents } = await hub.client.listCustomAgents({ includeArchived: true });
	expect(agents).toHaveLength(1);
	return agents[0]!;
}

/** Starts an apply of `spec` through a holding proxy, held before its write to the agent. */
async function heldApply(hub: TestHub, dir: string, spec: string) {
	const proxy = await startHoldingProxy(hub.url, agentsReadAgain);
	onTestFinished(() => proxy.close());
	const result = cli(proxy.url, ['apply', '--auto-approve', '-f', spec], {
		cwd: dir,
		timeoutMs: CLI_TIMEOUT_MS,
		env: { CODER_SESSIONS_REQUEST_TIMEOUT: String(HELD_DEADLINE_S) },
	});
	result.catch(() => {});
	await proxy.held(CLI_TIMEOUT_MS, result);
	return {
		finish: () => {
			proxy.release();
			return result;
		},
	};
}

const forget = (hub: TestHub, dir: string) =>
	cli(hub, ['forget', 'agents.reviewer', '-f', 'without.yaml', '--auto-approve'], { cwd: dir });

describe('an apply that planned before a forget of one of its records', () => {
	it('the update planned before it: the agent stays forgotten and unchanged, exit 5', async () => {
		const { hub, dir } = await teamSetupApplied();
		const update = await heldApply(hub, dir, 'edited.yaml');
		const forgot = await forget(hub, dir);
		expect(forgot.code, forgot.stdout + forgot.stderr).toBe(0);
		const before = await theAgent(hub);
		expect(before.description ?? '').not.toContain('[coder-sessions');

		const late = await update.finish();
		expect(late.code, late.stdout + late.stderr).toBe(5);
		expect(late.stdout).toContain(
			`conflict update and publish agents.reviewer (agent) (${before.id}): changed by another writer since the plan (forgotten: its ownership marker was removed); not written`
		);
		const agent = await theAgent(hub);
		expect(agent.description).toBe(before.description);
		expect(agent.instructions).toBe(before.instructions);
		expect(agent.latestPublishedVersion).toBe(before.latestPublishedVersion);
	});

	it('the archive planned before it: the agent stays, not archived, exit 5', async () => {
		const { hub, dir } = await teamSetupApplied();
		const { id } = await theAgent(hub);
		const archive = await heldApply(hub, dir, 'without.yaml');
		const forgot = await forget(hub, dir);
		expect(forgot.code, forgot.stdout + forgot.stderr).toBe(0);

		const late = await archive.finish();
		expect(late.code, late.stdout + late.stderr).toBe(5);
		expect(late.stdout).toContain(
			`conflict archive agents.reviewer (agent) (${id}): changed by another writer since the plan (forgotten: its ownership marker was removed); not written`
		);
		const agent = await theAgent(hub);
		expect(agent.lifecycle).not.toBe('archived');
		expect(agent.description ?? '').not.toContain('[coder-sessions');
		// The stack no longer holds it: the next plan of the spec without it changes nothing.
		const plan = await cli(hub, ['plan', '-f', 'without.yaml', '--detailed-exitcode'], {
			cwd: dir,
		});
		expect(plan.code, plan.stdout + plan.stderr).toBe(0);
	});
});

describe('forget of a record, asked at a prompt', () => {
	/** forget agents.reviewer as the CLI runs it, with `meanwhile` done while the prompt waits. */
	async function forgetAfter(hub: TestHub, dir: string, meanwhile: () => Promise<void>) {
		const spec = await loadSpecOrFail([join(dir, 'without.yaml')], { cwd: dir });
		return forgetRecords(
			spec,
			['agents.reviewer'],
			connect({ url: hub.url, apiKey: 'test' }),
			BUILT_IN_KINDS,
			async () => {
				await meanwhile();
				return true;
			}
		);
	}

	it('keeps a description edited while the prompt waited', async () => {
		const { hub, dir } = await teamSetupApplied();
		const { id, description } = await theAgent(hub);
		const outcome = await forgetAfter(hub, dir, async () => {
			await hub.client.updateCustomAgent(id, { description: `Edited by hand.\n${description}` });
		});
		expect(outcome).toMatchObject({ status: 'forgotten', succeeded: true });
		const agent = await theAgent(hub);
		expect(agent.description).toContain('Edited by hand.');
		expect(agent.description ?? '').not.toContain('[coder-sessions');
	});

	it('never writes to a record another stack took while the prompt waited', async () => {
		const { hub, dir } = await teamSetupApplied();
		const { id, description } = await theAgent(hub);
		const taken = (description ?? '').replace(
			'[coder-sessions docs-setup/',
			'[coder-sessions other-team/'
		);
		expect(taken).not.toBe(description);
		const outcome = await forgetAfter(hub, dir, async () => {
			await hub.client.updateCustomAgent(id, { description: taken });
		});
		expect(outcome).toMatchObject({ status: 'forgotten', succeeded: false });
		expect((await theAgent(hub)).description).toBe(taken);
	});
});
