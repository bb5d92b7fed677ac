// plan of a whole Coder setup: 100 saved skills, 50 custom agents, 20 workspaces and 1,000
// sessions standing on them, with 10 ms of latency per request: its time beside the floor, and
// its Hub calls by route (one list per kind, the session pages, one detail read per session).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fmtMs, ratio, resetStats, runCli, stats, withHub, writeSpec } from './lib.mjs';

const SKILLS = 100;
const AGENTS = 50;
const WORKSPACES = 20;
const SESSIONS = 1000;
const LATENCY_MS = 10;
const PARALLELISM = 8;

const pad = (i) => String(i).padStart(4, '0');

export function setupYaml(stack) {
	const lines = ['version: 1', `stack: ${stack}`, 'prune: keep', 'skills:'];
	for (let i = 0; i < SKILLS; i += 1) {
		lines.push(`  k-${pad(i)}:`, `    name: Skill ${i}`, `    content: "# Skill ${i}"`);
	}
	lines.push('agents:');
	for (let i = 0; i < AGENTS; i += 1) {
		lines.push(
			`  a-${pad(i)}:`,
			`    displayName: Agent ${i}`,
			`    instructions: "Agent ${i}: review what you are given."`,
			`    savedSkills: [k-${pad(i % SKILLS)}, k-${pad((i + 1) % SKILLS)}]`
		);
	}
	lines.push('workspaces:');
	for (let i = 0; i < WORKSPACES; i += 1) {
		lines.push(
			`  w-${pad(i)}:`,
			`    name: Workspace ${i}`,
			`    systemPrompt: Workspace ${i}`,
			`    enabledAgents: [a-${pad(i % AGENTS)}, lead]`,
			`    savedSkills: [k-${pad(i % SKILLS)}]`
		);
	}
	lines.push('sessions:');
	for (let i = 0; i < SESSIONS; i += 1) {
		lines.push(
			`  s-${pad(i)}:`,
			`    task: Benchmark task number ${i}`,
			`    workspace: w-${pad(i % WORKSPACES)}`,
			`    agent: a-${pad(i % AGENTS)}`
		);
	}
	return `${lines.join('\n')}\n`;
}

export async function benchKinds(dir) {
	mkdirSync(dir, { recursive: true });
	const state = join(dir, 'hub.json');
	const spec = writeSpec(dir, 'coder.yaml', setupYaml('bench'));
	const hubOptions = { stateFile: state, snapshotReadyAfterMs: 0 };
	await withHub(hubOptions, async (hub) => {
		const seeded = await runCli(
			['apply', '--auto-approve', '--url', hub.url, '-f', spec, '--parallelism', '16'],
			{ cwd: dir }
		);
		if (seeded.code !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
	});
	await withHub({ ...hubOptions, latencyMs: LATENCY_MS }, async (hub) => {
		await resetStats(hub.url);
		const args = ['plan', '--url', hub.url, '-f', spec, '--format', 'json'];
		const run = await runCli([...args, '--parallelism', String(PARALLELISM)], { cwd: dir });
		if (run.code !== 0) throw new Error(`plan failed: ${run.stderr}`);
		const plan = JSON.parse(run.stdout);
		const routes = await stats(hub.url);
		const count = (name) => routes[name] ?? 0;
		const kindLists = ['listSkills', 'listBuckets', 'listAgents', 'listWorkspaces'];
		const pages = count('list');
		const gets = count('get');
		// The kinds are listed while the sessions are: the floor is the session read alone.
		const floor = (pages + gets / PARALLELISM) * LATENCY_MS;
		const unchanged =
			plan.summary.noop + (plan.resources?.actions ?? []).filter((a) => a.kind === 'noop').length;
		console.log(
			`plan of a whole setup: ${SKILLS} skills, ${AGENTS} agents, ${WORKSPACES} workspaces, ${SESSIONS} sessions, ${LATENCY_MS} ms latency, parallelism ${PARALLELISM}`
		);
		console.log(
			`  coder-sessions plan  ${fmtMs(run.ms)}  ${unchanged} entries unchanged; Hub calls: ${kindLists.map((name) => `${name} ${count(name)}`).join(', ')}, session list pages ${pages}, session gets ${gets}`
		);
		console.log(
			`  floor                ${fmtMs(floor)}  (pages + gets / ${PARALLELISM}) x ${LATENCY_MS} ms; plan is ${ratio(run.ms, floor)} of it\n`
		);
	});
}
