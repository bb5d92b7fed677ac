/**
 * The operations called directly, as the CLI and the library call them: a local Hub on
 * 127.0.0.1 through the real client, an environment of the test's own, no process globals.
 */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { apply } from '../../src/operations/apply.js';
import { connectHub, type ConnectedHub } from '../../src/operations/connect.js';
import type { Environment } from '../../src/operations/environment.js';
import { planImport } from '../../src/operations/import.js';
import { plan } from '../../src/operations/plan.js';
import { loadSpecOrFail } from '../../src/operations/planning.js';
import { readSavedPlan, writeSavedPlan } from '../../src/operations/saved-plan-file.js';
import { replanSaved } from '../../src/operations/saved-plan.js';
import { hubAndDirForTest, seedUnmarked, writeSpec, type TestHub } from '../support/local-hub.js';
import { TEST_ENV_SECRET } from '../support/session-builders.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
	readonly hub: TestHub;
	readonly connected: ConnectedHub;
	readonly environment: Environment & { readonly notes: string[] };
	readonly dir: string;
}

async function setUp(env: NodeJS.ProcessEnv = {}): Promise<Setup> {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'operations-');
	const notes: string[] = [];
	const environment = {
		env: { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET, ...env },
		cwd: dir,
		warn: (note: string) => notes.push(note),
		notes,
	};
	const connected = await connectHub({ url: hub.url }, environment);
	cleanups.push(() => connected.close());
	return { hub, connected, environment, dir };
}

async function specOf(setup: Setup, sessions: Record<string, Record<string, unknown>>) {
	await writeSpec(setup.dir, 'sessions.yaml', { stack: 'ops', sessions });
	return loadSpecOrFail(['sessions.yaml'], setup.environment);
}

describe('apply', () => {
	it('stops at a missing env value before asking for approval, and writes nothing', async () => {
		const setup = await setUp();
		const spec = await specOf(setup, { a: { task: 'A', env: { TOKEN: '${TOKEN}' } } });
		const planned = await plan(spec, setup.connected, setup.environment);
		let asked = 0;
		const approve = async () => {
			asked += 1;
			return true;
		};
		await expect(
			apply(planned, setup.connected.hub, setup.environment, { approve })
		).rejects.toThrow(/TOKEN.*nothing was applied/);
		expect(asked).toBe(0);
		expect(setup.hub.stats().create ?? 0).toBe(0);
	});

	it('refuses a plan a safety rail stops without asking for approval', async () => {
		const setup = await setUp();
		const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
		const all = await specOf(setup, Object.fromEntries(keys.map((k) => [k, { task: k }])));
		const first = await plan(all, setup.connected, setup.environment);
		await apply(first, setup.connected.hub, setup.environment, { approve: 'auto' });
		const few = await specOf(setup, { a: { task: 'a' } });
		const pruning = await plan(few, setup.connected, setup.environment);
		expect(pruning.refusal.length).toBeGreaterThan(0);
		const approve = async () => {
			throw new Error('asked');
		};
		const refused = await apply(pruning, setup.connected.hub, setup.environment, { approve });
		expect(refused).toEqual({ status: 'refused', reasons: pruning.refusal });
		expect(setup.hub.stats().archive ?? 0).toBe(0);
	});
});

describe('saved plans', () => {
	it('are stale once the Hub moves on, and current until then', async () => {
		const setup = await setUp();
		const spec = await specOf(setup, { a: { task: 'A' } });
		const planned = await plan(spec, setup.connected, setup.environment);
		await writeSavedPlan(planned, setup.connected.target, 'a.plan', setup.environment);
		const saved = await readSavedPlan('a.plan', setup.environment);
		expect((await replanSaved(saved, setup.connected, setup.environment)).stale).toEqual([]);
		await setup.hub.client.createSession({
			task: 'Made meanwhile',
			metadata: { 'coder-sessions/stack': 'ops', 'coder-sessions/key': 'a' },
		});
		const { stale } = await replanSaved(saved, setup.connected, setup.environment);
		expect(stale.length).toBeGreaterThan(0);
	});

	it('are never written over a spec file', async () => {
		const setup = await setUp();
		const planned = await plan(await specOf(setup, {}), setup.connected, setup.environment);
		await expect(
			writeSavedPlan(planned, setup.connected.target, 'sessions.yaml', setup.environment)
		).rejects.toThrow('--out sessions.yaml would overwrite a spec file');
	});
});

describe('import', () => {
	it('names the entry the spec lacks, and plans an adoption once it has it', async () => {
		const setup = await setUp();
		const id = await seedUnmarked(setup.hub, 'Review the docs');
		const bare = await specOf(setup, {});
		const missing = await planImport([id], bare, setup.connected, setup.environment, {
			key: 'docs',
		});
		expect(missing).toMatchObject({ status: 'missing-entries' });
		const withEntry = await specOf(setup, { docs: { task: 'Review the docs' } });
		const imported = await planImport([id], withEntry, setup.connected, setup.environment, {
			key: 'docs',
		});
		expect(imported.status).toBe('planned');
		if (imported.status !== 'planned') return;
		expect(imported.planned.plan.actions.map((a) => [a.kind, a.key])).toEqual([['adopt', 'docs']]);
		expect(imported.replaced).toEqual([]);
	});
});
