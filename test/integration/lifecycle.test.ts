/**
 * A new session goes creating, then provisioning, then active, and pauses once idle (the local
 * Hub's default lifecycle, on a held clock): apply's read-back, plan, status and drift take every
 * status on the way as a live session of its key, never as ended, duplicated or drifted.
 */
import { describe, expect, it } from 'vitest';
import type { StatusJsonV1 } from '../../src/render/status.js';
import { expectExit } from '../support/plan-output.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
} from '../support/local-hub.js';

const MINUTE = 60_000;

describe('the session lifecycle', () => {
	const dir = useTempDir('lifecycle-');

	it('apply, plan, status and drift agree at every status from creating to paused', async ({
		onTestFinished,
	}) => {
		let now = Date.parse('2026-03-01T09:00:00.000Z');
		const hub = await hubForTest(onTestFinished, {
			activateAfterMs: MINUTE,
			idleTimeoutMs: 30 * MINUTE,
			now: () => new Date(now),
		});
		const file = await writeSpec(dir.path, 'life.yaml', {
			stack: 'life',
			sessions: {
				docs: { task: 'Write the docs.', label: 'Docs' },
				loop: { task: 'Loop on CI.', loop: { goal: 'Green CI', maxIterations: 5 } },
			},
		});
		const applied = await applySpec(hub, file, { cwd: dir.path });
		expect(applied.stdout + applied.stderr).not.toMatch(
			/did not converge|still differs|archived on the Hub/
		);
		const ids = await liveIdsByKey(hub, 'life');

		const check = async (status: string, bucket: string) => {
			const planned = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], {
				cwd: dir.path,
			});
			expectExit(planned, 0);
			expect(planned.stdout).toContain('No changes');
			const drift = await cli(hub, ['drift', '-f', file], { cwd: dir.path });
			expectExit(drift, 0);
			const shown = await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path });
			expectExit(shown, 0);
			const json = JSON.parse(shown.stdout) as StatusJsonV1;
			expect(json.counts).toMatchObject({ sessions: 2, inSync: 2, missing: 0, duplicate: 0 });
			for (const key of ['docs', 'loop']) {
				expect(
					json.sessions.find((row) => row.key === key),
					`${key} ${status}`
				).toMatchObject({
					sessionId: ids[key],
					status,
					bucket,
					sync: 'in-sync',
				});
			}
		};

		await check('creating', 'provisioning');
		now += MINUTE / 2;
		await check('provisioning', 'provisioning');
		now += MINUTE / 2;
		await check('active', 'running');
		// No activity for the idle timeout: paused (wakeable), still the key's live session.
		now += 30 * MINUTE;
		await check('paused', 'paused');

		// A second apply while sessions are paused changes nothing.
		const again = await applySpec(hub, file, { cwd: dir.path });
		expect(again.stdout).toContain('Nothing to apply.');
	});

	it('a replace made while the old session is still creating leaves one live session', async ({
		onTestFinished,
	}) => {
		let now = Date.parse('2026-03-01T09:00:00.000Z');
		const hub = await hubForTest(onTestFinished, {
			activateAfterMs: MINUTE,
			now: () => new Date(now),
		});
		const first = await writeSpec(dir.path, 'replace-1.yaml', {
			stack: 'life-replace',
			sessions: { docs: { task: 'Write the docs.' } },
		});
		await applySpec(hub, first, { cwd: dir.path });
		const before = (await liveIdsByKey(hub, 'life-replace')).docs!;
		now += 1000;
		const second = await writeSpec(dir.path, 'replace-2.yaml', {
			stack: 'life-replace',
			sessions: { docs: { task: 'Write better docs.' } },
		});
		const replaced = await applySpec(hub, second, { cwd: dir.path });
		expect(replaced.stdout).toContain('replace');
		const after = (await liveIdsByKey(hub, 'life-replace')).docs!;
		expect(after).not.toBe(before);
		expect((await hub.client.getSession(after)).status).toBe('creating');
		expect((await hub.client.getSession(before)).status).toBe('archived');
		const planned = await cli(hub, ['plan', '-f', second, '--detailed-exitcode'], {
			cwd: dir.path,
		});
		expectExit(planned, 0);
	});
});
