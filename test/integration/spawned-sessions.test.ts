/**
 * Sessions the Hub spawns from another (workers, derived sessions, steps of a coordination job)
 * carry a copy of their parent's metadata, markers included. They are never the stack's: never
 * matched, deduped, adopted, imported, exported or pruned, and the plan counts them as left alone.
 * Once, such a copy was a duplicate of its key, and the next apply archived it while it worked.
 */
import { describe, expect, it } from 'vitest';
import type { PlanJsonV1 } from '../../src/render/json.js';
import { expectExit } from '../support/plan-output.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	seedUnmarked,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';
import { spawnChildren } from '../support/spawn.js';

const STACK = 'crew';
const entries = (keys: readonly string[]) =>
	Object.fromEntries(keys.map((key) => [key, { label: `Label ${key}`, task: `Task ${key}` }]));
const doc = (keys: readonly string[], fields: Partial<SpecDoc> = {}): SpecDoc => ({
	stack: STACK,
	sessions: entries(keys),
	...fields,
});
const planJsonOf = (stdout: string) => JSON.parse(stdout) as PlanJsonV1;

/** Whether each session is still active on the Hub. */
async function activeOf(hub: TestHub, ids: readonly string[]): Promise<boolean[]> {
	return Promise.all(ids.map(async (id) => !(await hub.client.getSession(id)).historyOnly));
}

/** The stack applied (lead, scout), then three children the Hub spawned, each copying markers. */
async function crewWithChildren(hub: TestHub, dir: string, name: string) {
	const file = await writeSpec(dir, name, doc(['lead', 'scout']));
	await applySpec(hub, file, { cwd: dir });
	const ids = await liveIdsByKey(hub, STACK);
	const [worker] = await spawnChildren(hub, ids.lead!);
	const [jobStep] = await spawnChildren(hub, ids.scout!, {
		sessionKind: null,
		parent: false,
		coordinationJobId: 'job_7',
	});
	const [builder] = await spawnChildren(hub, ids.lead!, {
		sessionKind: 'agent_builder',
		parent: false,
	});
	return { file, ids, children: [worker!, jobStep!, builder!] };
}

describe.concurrent('sessions spawned by the Hub', () => {
	const dir = useTempDir('coder-sessions-spawned-');

	for (const discovery of ['full', 'search']) {
		it(`are never matched or deduped, and are counted as left alone (--discovery ${discovery})`, async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const { file, ids, children } = await crewWithChildren(
				hub,
				dir.path,
				`plan-${discovery}.yaml`
			);
			const args = ['plan', '-f', file, '--discovery', discovery];
			const [json, text, markdown] = await Promise.all([
				cli(hub, [...args, '--format', 'json'], { cwd: dir.path }),
				cli(hub, [...args, '--detailed-exitcode'], { cwd: dir.path }),
				cli(hub, [...args, '--format', 'markdown'], { cwd: dir.path }),
			]);
			expectExit(json, 0);
			const plan = planJsonOf(json.stdout);
			expect(plan.actions.map((action) => [action.kind, action.key, action.sessionId])).toEqual([
				['noop', 'lead', ids.lead],
				['noop', 'scout', ids.scout],
			]);
			expect(plan.counts).toEqual({ managed: 2, otherStacks: 0, unmanaged: 0, spawned: 3 });
			expectExit(text, 0);
			expect(text.stdout).toContain('No changes.');
			const leftAlone =
				'Left alone: 3 sessions not managed by this stack (0 of other stacks, 0 unmarked, 3 spawned by the Hub as workers or derived sessions of others, which no stack manages).';
			expect(text.stdout).toContain(leftAlone);
			expect(markdown.stdout).toContain(leftAlone);
			for (const id of children) expect(text.stdout).not.toContain(id);
		});
	}

	it('apply leaves them working, and prune and destroy never reach them', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const { file, ids, children } = await crewWithChildren(hub, dir.path, 'apply.yaml');
		const again = await applySpec(hub, file, { cwd: dir.path });
		expect(again.stdout).toContain('Nothing to apply.');
		// lead leaves the spec: its own session is archived, the worker copying its markers is not.
		const pruned = await writeSpec(dir.path, 'apply-pruned.yaml', doc(['scout']));
		const removed = await applySpec(hub, pruned, { cwd: dir.path });
		expect(removed.stdout).toContain('1 to archive');
		const destroy = await cli(hub, ['plan', '-f', pruned, '--destroy', '--format', 'json'], {
			cwd: dir.path,
		});
		const destroyed = planJsonOf(destroy.stdout).actions.filter((action) => action.kind !== 'noop');
		expect(destroyed.map((action) => action.sessionId)).toEqual([ids.scout]);
		expect(await activeOf(hub, [ids.lead!, ids.scout!, ...children])).toEqual([
			false,
			true,
			true,
			true,
			true,
		]);
	});

	it('apply keeps the workers the Hub spawns with each create, though they carry its run marker', async ({
		onTestFinished,
	}) => {
		// Each create spawns a worker at once: it shows up in apply's read-back beside the session
		// the create answered with, carrying the same key and this run's marker.
		const hub = await hubForTest(onTestFinished, { spawnWorkers: 1 });
		const file = await writeSpec(dir.path, 'workers.yaml', doc(['lead', 'scout']));
		const applied = await applySpec(hub, file, { cwd: dir.path });
		expect(applied.stdout).not.toMatch(/duplicate/i);
		const listed = await hub.client.listSessions({ includeArchived: true });
		expect(listed.sessions).toHaveLength(4);
		expect(listed.sessions.every((session) => !session.historyOnly)).toBe(true);
		const again = await applySpec(hub, file, { cwd: dir.path });
		expect(again.stdout).toContain('Nothing to apply.');
		const status = await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path });
		expectExit(status, 0);
		expect(JSON.parse(status.stdout).counts).toMatchObject({ sessions: 2, duplicate: 0 });
		const drift = await cli(hub, ['drift', '-f', file], { cwd: dir.path });
		expectExit(drift, 0);
	});

	it('are refused by import and adopt:, and never exported', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const { file, children } = await crewWithChildren(hub, dir.path, 'adopt.yaml');
		const loose = await seedUnmarked(hub, 'Nobody manages this one');
		const [looseWorker] = await spawnChildren(hub, loose);
		const worker = children[0]!;

		const imported = await cli(hub, ['import', worker, '--key', 'extra', '-f', file], {
			cwd: dir.path,
		});
		expectExit(imported, 1);
		expect(imported.stderr).toContain(
			`sessions spawned by the Hub cannot be imported (no stack manages them): ${worker} (a worker of `
		);

		const adopting = await writeSpec(dir.path, 'adopt-worker.yaml', {
			stack: STACK,
			sessions: {
				...entries(['lead', 'scout']),
				extra: { task: 'Task extra', adopt: looseWorker },
			},
		});
		const adopted = await cli(hub, ['plan', '-f', adopting], { cwd: dir.path });
		expectExit(adopted, 1);
		expect(adopted.stderr).toContain(
			`sessions.extra.adopt: session ${looseWorker} was spawned by the Hub (a worker of ${loose}); no stack manages such a session: adopt the session it came from, or remove adopt:`
		);

		const exported = await cli(hub, ['export', '--stack', STACK, '--all'], { cwd: dir.path });
		expectExit(exported, 0);
		for (const id of [...children, looseWorker!]) {
			expect(exported.stdout).not.toContain(id);
			expect(exported.stderr).not.toContain(id);
		}
		expect(exported.stdout).toContain(`adopt: ${loose}`);
	});
});
