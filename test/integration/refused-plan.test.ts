/**
 * A plan that apply would refuse fails on the pull request: `plan` and `show` exit 3, with or
 * without --detailed-exitcode, after printing (and saving) the plan. The spec's `allowRemovals`
 * lifts the removal rails at the exact count, reviewably; protection is never lifted by it.
 * The built CLI against a local Hub on 127.0.0.1.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanJsonV1 } from '../../src/render/json.js';
import {
	hubForTest,
	seedMarked,
	seedSession,
	seedStack,
	useCliDir,
	writeSpec,
	type SpecDoc,
} from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const TEST_TIMEOUT_MS = 240_000;

const tasks = (keys: readonly string[]) =>
	Object.fromEntries(keys.map((key) => [key, { task: `Task for ${key}` }]));
const keys = (count: number) => Array.from({ length: count }, (_, i) => `s${i}`);

describe.concurrent(
	'a plan apply would refuse fails on the pull request',
	{ timeout: TEST_TIMEOUT_MS },
	() => {
		const dir = useCliDir();
		const run = dir.run;

		it('a protected session removed: plan and show exit 3; allowRemovals does not lift it', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			await seedMarked(hub, 'guarded', 'precious', {
				metadata: { 'coder-sessions/protect': 'true' },
			});
			await seedMarked(hub, 'guarded', 'other');
			const file = await writeSpec(dir.path, 'guarded.yaml', {
				stack: 'guarded',
				sessions: tasks(['other']),
			});
			const allowing = await writeSpec(dir.path, 'guarded-allow.yaml', {
				stack: 'guarded',
				allowRemovals: 1,
				sessions: tasks(['other']),
			} as SpecDoc);

			const [plain, detailed, recipe, allowed, allowedApply] = await Promise.all([
				run(hub, ['plan', '-f', file]),
				run(hub, ['plan', '-f', file, '--detailed-exitcode']),
				run(hub, [
					'plan',
					'-f',
					file,
					'--format',
					'markdown',
					'--out',
					'guarded.plan.json',
					'--detailed-exitcode',
				]),
				run(hub, ['plan', '-f', allowing, '--detailed-exitcode']),
				run(hub, ['apply', '-f', allowing, '--auto-approve']),
			]);
			for (const outcome of [plain, detailed, recipe, allowed]) {
				expectExit(outcome, 3);
				expect(outcome.stderr).toContain('Apply would refuse this plan');
				expect(outcome.stderr).toContain('Protected session precious would be archived');
			}
			// The plan is printed in full for the reviewer, and saved.
			expect(plain.stdout).toContain('Refused by safety rails:');
			expect(plain.stdout).toMatch(/^Plan: .*1 to archive/m);
			expect(recipe.stdout).toContain('**Warning:** refused by safety rails');
			expect(recipe.stderr).toContain('(saved to guarded.plan.json for review)');
			expect(recipe.stderr).not.toContain('Apply exactly these changes');
			await access(join(dir.path, 'guarded.plan.json'));
			expect(allowed.stdout).toContain('Protected session precious would be archived');

			const shown = await run(hub, ['show', 'guarded.plan.json']);
			expectExit(shown, 3);
			expect(shown.stderr).toContain('Apply would refuse this saved plan');

			expectExit(allowedApply, 3);
			expect(allowedApply.stderr).toContain('Apply refused by a safety rail');
			expect(hub.stats().archive ?? 0).toBe(0);
		});

		it('a bulk removal: exit 3 until allowRemovals names the exact count, then the saved plan applies', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			await seedStack(hub, 'bulk', keys(8));
			const kept = tasks(keys(8).slice(3));
			const file = await writeSpec(dir.path, 'bulk.yaml', { stack: 'bulk', sessions: kept });
			const stale = await writeSpec(dir.path, 'bulk-2.yaml', {
				stack: 'bulk',
				allowRemovals: 2,
				sessions: kept,
			} as SpecDoc);
			const exact = await writeSpec(dir.path, 'bulk-3.yaml', {
				stack: 'bulk',
				allowRemovals: 3,
				sessions: kept,
			} as SpecDoc);

			const [plain, detailed, staleText, staleApply, exactText, exactJson, saved, disagrees] =
				await Promise.all([
					run(hub, ['plan', '-f', file]),
					run(hub, ['plan', '-f', file, '--detailed-exitcode']),
					run(hub, ['plan', '-f', stale, '--detailed-exitcode']),
					run(hub, ['apply', '-f', stale, '--auto-approve']),
					run(hub, ['plan', '-f', exact]),
					run(hub, ['plan', '-f', exact, '--format', 'json']),
					run(hub, [
						'plan',
						'-f',
						exact,
						'--format',
						'markdown',
						'--out',
						'bulk.plan.json',
						'--detailed-exitcode',
					]),
					run(hub, ['apply', '-f', exact, '--auto-approve', '--allow-removals', '2']),
				]);
			for (const outcome of [plain, detailed]) {
				expectExit(outcome, 3);
				expect(outcome.stderr).toContain(
					'This plan makes 3 removals (3 archives) of 8 managed sessions, over 25%'
				);
				expect(outcome.stderr).toContain('set `allowRemovals: 3` in the spec');
			}
			// A stale count is refused, with the right number.
			for (const outcome of [staleText, staleApply]) {
				expectExit(outcome, 3);
				expect(outcome.stderr).toContain(
					'The count allowed is 2 but this plan makes 3 removals; review them, then allow exactly 3 (`allowRemovals: 3` in the spec).'
				);
			}
			// The exact count lifts the rail, and says so in the plan.
			expectExit(exactText, 0);
			expect(exactText.stdout).not.toContain('Refused');
			expect(exactText.stdout).toContain(
				'The spec allows 3 removals (allowRemovals: 3): exactly this plan'
			);
			expectExit(exactJson, 0);
			const parsed = JSON.parse(exactJson.stdout) as PlanJsonV1;
			expect(parsed.allowRemovals).toBe(3);
			expect(parsed.removals).toBe(3);
			expect(parsed.hazards.map((hazard) => hazard.kind)).toEqual(['bulk-removal']);
			expect(parsed.refused).toEqual([]);
			expectExit(saved, 2);
			expect(saved.stdout).toContain('The spec allows 3 removals (allowRemovals: 3)');
			// --allow-removals must agree with the spec.
			expectExit(disagrees, 3);
			expect(disagrees.stderr).toContain(
				'--allow-removals 2 disagrees with allowRemovals: 3 in the spec'
			);
			expect(hub.stats().archive ?? 0).toBe(0);

			expectExit(await run(hub, ['show', 'bulk.plan.json']), 0);
			expectExit(await run(hub, ['apply', 'bulk.plan.json']), 0);
			expect(hub.stats().archive).toBe(3);
			// Applied: the leftover allowance refuses nothing, and the plan says to remove it.
			const after = await run(hub, ['plan', '-f', exact, '--detailed-exitcode']);
			expectExit(after, 0);
			expect(after.stdout).toContain(
				'remove allowRemovals once the removals it was set for are applied'
			);
		});

		it('a session of another stack: refused on the pull request until the entry says takeOver: true', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const id = await seedSession(hub, {
				task: 'Shared task',
				metadata: { 'coder-sessions/stack': 'other-team', 'coder-sessions/key': 'shared' },
			});
			const file = await writeSpec(dir.path, 'foreign.yaml', {
				stack: 'docs-team',
				sessions: { shared: { adopt: id, task: 'Shared task' } },
			});
			const taking = await writeSpec(dir.path, 'foreign-taken.yaml', {
				stack: 'docs-team',
				sessions: { shared: { adopt: id, takeOver: true, task: 'Shared task' } },
			});
			const [refused, planned] = await Promise.all([
				run(hub, ['plan', '-f', file, '--detailed-exitcode']),
				run(hub, ['plan', '-f', taking, '--out', 'foreign.plan.json', '--detailed-exitcode']),
			]);
			expectExit(refused, 3);
			expect(refused.stderr).toContain('set `takeOver: true` next to its `adopt:`');
			expectExit(planned, 2);
			expectExit(await run(hub, ['apply', 'foreign.plan.json']), 0);
			const metadata = (await hub.client.getSession(id)).metadata as Record<string, unknown>;
			expect(metadata['coder-sessions/stack']).toBe('docs-team');
		});
	}
);
