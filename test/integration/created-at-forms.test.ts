/**
 * A Hub that writes `createdAt` in other valid forms (an offset instead of `Z`, fractional
 * seconds or none), the same instant twice, or a time that is missing or unreadable: of a key's
 * duplicates, plan, status and apply keep the same session, the newest by the instant it names.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import {
	rewriteCreatedAt,
	startProxy,
	stackSessions,
	type CreatedAtForms,
	type HubProxy,
} from '../support/apply-helpers.js';
import { cli, hubAndDirForTest, seedDuplicates, writeSpec } from '../support/local-hub.js';

const STACK = 'it-created-at';
const TASK = { task: 'Review the docs.' };

interface Case {
	readonly name: string;
	/** The createdAt of the session with the lower id, and of the one with the higher id. */
	readonly lower: string | null;
	readonly higher: string | null;
	readonly kept: 'lower' | 'higher';
}

const CASES: readonly Case[] = [
	{
		name: 'an offset: 10:00+02:00 is before 09:00Z',
		lower: '2026-03-01T09:00:00Z',
		higher: '2026-03-01T10:00:00+02:00',
		kept: 'lower',
	},
	{
		name: 'fractional seconds against none: 10:00:00.5Z is after 10:00:00Z',
		lower: '2026-03-01T10:00:00.5Z',
		higher: '2026-03-01T10:00:00Z',
		kept: 'lower',
	},
	{
		name: 'fractions of different lengths, below a millisecond',
		lower: '2026-03-01T10:00:00.1234567Z',
		higher: '2026-03-01T10:00:00.12345Z',
		kept: 'lower',
	},
	{
		name: 'the same instant written two ways: the higher id',
		lower: '2026-03-01T12:00:00+02:00',
		higher: '2026-03-01T10:00:00.000Z',
		kept: 'higher',
	},
	{
		name: 'an unreadable time is older than any readable one',
		lower: '2026-03-01T10:00:00Z',
		higher: 'yesterday',
		kept: 'lower',
	},
];

describe('createdAt in the forms a Hub may write', () => {
	for (const { name, lower, higher, kept } of CASES) {
		it(`of two duplicates, plan, status and apply keep the same one: ${name}`, async () => {
			const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'created-at-');
			const ids = (await seedDuplicates(hub, STACK, 'review', 2, TASK)).sort();
			const [low, high] = ids as [string, string];
			const forms: CreatedAtForms = { [low]: lower, [high]: higher };
			const proxy: HubProxy = await startProxy(hub.url, () => ({
				rewrite: (answer) => rewriteCreatedAt(answer, forms),
			}));
			onTestFinished(() => proxy.close());
			const keep = kept === 'lower' ? low : high;
			const drop = kept === 'lower' ? high : low;
			const file = await writeSpec(dir, 'sessions.yaml', {
				stack: STACK,
				sessions: { review: TASK },
			});

			for (let run = 0; run < 2; run += 1) {
				const plan = await cli(proxy.url, ['plan', '-f', file], { cwd: dir });
				expect(plan.code, plan.stdout + plan.stderr).toBe(0);
				expect(plan.stdout).toMatch(
					new RegExp(`^\\s*x dedupe\\s+review\\s+${drop} .*\\(keeps ${keep}\\)$`, 'm')
				);
				expect(plan.stderr).not.toMatch(/\bat .*\.js:\d+/);
			}
			const status = await cli(proxy.url, ['status', '-f', file, '--format', 'json'], {
				cwd: dir,
			});
			expect(status.code, status.stdout + status.stderr).toBe(0);
			const { sessions } = JSON.parse(status.stdout) as {
				sessions: { sessionId: string | null; sync: string }[];
			};
			expect(sessions.find((row) => row.sessionId === drop)?.sync).toBe('duplicate');
			expect(sessions.find((row) => row.sessionId === keep)?.sync).not.toBe('duplicate');

			const apply = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
			expect(apply.code, apply.stdout + apply.stderr).toBe(0);
			const active = (await stackSessions(hub.url, STACK)).filter((s) => !s.archived);
			expect(active.map((s) => s.id)).toEqual([keep]);
		});
	}

	it('a listing without createdAt stops the plan with a clear error, and nothing is written', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'created-at-');
		const [first] = await seedDuplicates(hub, STACK, 'review', 2, TASK);
		const proxy = await startProxy(hub.url, () => ({
			rewrite: (answer) => rewriteCreatedAt(answer, { [first!]: null }),
		}));
		onTestFinished(() => proxy.close());
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { review: TASK },
		});
		const apply = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(apply.code).not.toBe(0);
		expect(apply.stderr).toContain('the Hub answered with a shape the SDK does not accept');
		expect(apply.stderr).not.toMatch(/\bat .*\.js:\d+/);
		expect((await stackSessions(hub.url, STACK)).filter((s) => !s.archived)).toHaveLength(2);
	});
});
