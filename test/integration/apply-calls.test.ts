/**
 * What an apply costs in Hub requests, counted by the local Hub (GET /_local/stats), not timed:
 * a create is one request, an update three (the plan's read, the re-read just before the write,
 * the write), plus a few list calls shared by the whole run. The writes' own answers say what the
 * read-back would re-read, so a session this run wrote and nobody wrote since is not read again.
 */
import { describe, expect, it } from 'vitest';
import { manySessions, resetStats } from '../support/apply-helpers.js';
import { cli, hubForTest, useTempDir, writeSpec } from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const STACK = 'calls';
const SESSIONS = 40;
const CALLS_PER_CREATE = 1.15;
const CALLS_PER_UPDATE = 3.15;
const KIND_LISTS = 4;

async function hubRequests(url: string): Promise<Record<string, number>> {
	const response = await fetch(`${url}/_local/stats`);
	if (!response.ok) throw new Error(`GET /_local/stats: HTTP ${response.status}`);
	return (await response.json()) as Record<string, number>;
}

describe('the Hub requests of an apply', () => {
	const dir = useTempDir('apply-calls-');

	it(`${SESSIONS} creates, then ${SESSIONS} updates, within the call goals; then nothing to do`, async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const sessions = manySessions(SESSIONS, 'c');
		const created = await writeSpec(dir.path, 'v1.yaml', { stack: STACK, sessions });
		const relabelled = await writeSpec(dir.path, 'v2.yaml', {
			stack: STACK,
			sessions: Object.fromEntries(
				Object.entries(sessions).map(([key, entry]) => [key, { ...entry, label: `New ${key}` }])
			),
		});
		const apply = async (file: string) => {
			await resetStats(hub.url);
			const result = await cli(hub, ['apply', '-f', file, '--auto-approve'], { cwd: dir.path });
			expectExit(result, 0);
			expect(result.stdout).not.toContain('Not converged');
			return hubRequests(hub.url);
		};

		const creates = await apply(created);
		expect(creates.create).toBe(SESSIONS);
		// Plus the one list of each other kind the plan reads (skills, buckets, agents, workspaces).
		expect(creates.total, JSON.stringify(creates)).toBeLessThanOrEqual(
			CALLS_PER_CREATE * SESSIONS + KIND_LISTS
		);

		const updates = await apply(relabelled);
		expect(updates.update).toBe(SESSIONS);
		expect(updates.total, JSON.stringify(updates)).toBeLessThanOrEqual(
			CALLS_PER_UPDATE * SESSIONS + KIND_LISTS
		);

		// What was applied is what the Hub holds: planned again, nothing changes.
		const again = await cli(hub, ['plan', '-f', relabelled, '--detailed-exitcode'], {
			cwd: dir.path,
		});
		expectExit(again, 0);
	});
});
