/**
 * `drift` and `status` are views of one plan: the plan of a session changed outside carries the
 * change, drift reports exactly what that plan holds, and each command reads the Hub once.
 */
import { describe, expect, it } from 'vitest';
import { connectHub, loadSpec, plan } from '../../src/index.js';
import { driftOfPlan } from '../../src/plan/drift-report.js';
import { toDriftJson, type DriftJsonV1 } from '../../src/render/drift.js';
import type { StatusJsonV1 } from '../../src/render/status.js';
import type { CliResult } from '../support/cli.js';
import {
	applySpec,
	cli,
	editLive,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
	type SpecDoc,
} from '../support/local-hub.js';

const doc = (stack: string): SpecDoc => ({
	stack,
	sessions: {
		review: { label: 'Review', task: 'Review the docs.', tags: ['review'] },
		lint: { label: 'Lint', task: 'Lint the docs.' },
	},
});

function parse<T>(result: CliResult): T {
	expect(result.stderr).toBe('');
	return JSON.parse(result.stdout) as T;
}

/** Requests the Hub answered since the last reset, by route, without the ones that are 0. */
const reads = (stats: Record<string, number>) =>
	Object.fromEntries(Object.entries(stats).filter(([route, n]) => route !== 'total' && n > 0));

/** Beside the sessions, a plan lists each other kind once. */
const KIND_LISTS = { listAgents: 1, listBuckets: 1, listSkills: 1, listWorkspaces: 1 };

describe.concurrent('drift and status as views of the plan', () => {
	const dir = useTempDir();

	it('drift reports what the plan of a session changed outside holds', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'pv-drift.yaml', doc('pv-drift'));
		await applySpec(hub, file, { cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'pv-drift');
		await editLive(hub, ids.lint!, { label: 'Renamed by hand' });

		const connected = await connectHub({ url: hub.url }, { env: {} });
		onTestFinished(() => connected.close());
		const spec = await loadSpec([file], { cwd: dir.path });
		const planned = await plan(spec, connected, { cwd: dir.path, env: {} });
		expect(planned.plan.prior.find((session) => session.key === 'lint')).toMatchObject({
			id: ids.lint,
			outside: [{ field: 'label', live: 'Renamed by hand', applied: 'Lint' }],
		});

		await hub.resetStats();
		const result = await cli(hub, ['drift', '-f', file, '--format', 'json'], { cwd: dir.path });
		expect(result.code).toBe(6);
		expect(parse<DriftJsonV1>(result)).toEqual(
			JSON.parse(JSON.stringify(toDriftJson(driftOfPlan(spec, planned.plan))))
		);
		// One list and one detail per session: nothing is read again to compare.
		expect(reads(hub.stats())).toEqual({ list: 1, get: 2, ...KIND_LISTS });
	});

	it('status reads each session once, then its activity', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'pv-status.yaml', doc('pv-status'));
		await applySpec(hub, file, { cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'pv-status');
		await editLive(hub, ids.review!, { tags: ['review', 'hotfix'] });

		await hub.resetStats();
		const result = await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path });
		expect(result.code).toBe(0);
		const status = parse<StatusJsonV1>(result);
		expect(status.sessions.map((s) => [s.key, s.sync, s.changedFields])).toEqual([
			['lint', 'in-sync', []],
			['review', 'drifted', ['tags']],
		]);
		expect(reads(hub.stats())).toEqual({
			...KIND_LISTS,
			list: 1,
			get: 2,
			participants: 2,
			eventHistory: 2,
			replay: 2,
		});
	});
});
