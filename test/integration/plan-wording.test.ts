/**
 * What plan, status and apply say in edge cases, end to end against local Hubs on 127.0.0.1:
 * an archived entry with nothing on the Hub, counts in the singular, the markdown summary line,
 * a saved plan taken to another Hub, and an `adopt:` kept after its session was archived.
 */
import { describe, expect, it } from 'vitest';
import {
	hubForTest,
	liveIdsByKey,
	seedUnmarked,
	useCliDir,
	writeSpec,
} from '../support/local-hub.js';
import { expectExit, planJson } from '../support/plan-output.js';

const TEST_TIMEOUT_MS = 240_000;

describe.concurrent('plan wording', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useCliDir('plan-wording-it-');
	const run = dir.run;

	it('an archived entry on an empty Hub is no unchanged session', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const alone = await writeSpec(dir.path, 'alone.yaml', {
			stack: 'alone',
			sessions: { old: { task: 'Task for old', state: 'archived' } },
		});
		const beside = await writeSpec(dir.path, 'beside.yaml', {
			stack: 'beside',
			sessions: {
				old: { task: 'Task for old', state: 'archived' },
				fresh: { task: 'Task for fresh' },
			},
		});
		const [quiet, changes, markdown] = await Promise.all([
			run(hub, ['plan', '-f', alone]),
			run(hub, ['plan', '-f', beside]),
			run(hub, ['plan', '-f', beside, '--format', 'markdown']),
		]);
		expectExit(quiet, 0);
		expect(quiet.stdout).toContain(
			'No changes. The Hub matches the spec (1 entry wants no active session and has none).'
		);
		expect(quiet.stdout).not.toContain('1 session');
		expectExit(changes, 0);
		expect(changes.stdout).toContain(
			'Nothing to archive: 1 entry wants no active session and has none.'
		);
		expect(changes.stdout).not.toContain('Unchanged');
		expect(markdown.stdout).toContain(
			'· 0 unchanged · 1 entry wants no active session and has none'
		);
	});

	it('says one older archived session, and the markdown summary has no nested parentheses', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'one.yaml', {
			stack: 'one',
			sessions: { a: { task: 'Task for a' }, b: { task: 'Task for b' } },
		});
		await dir.apply(hub, file);
		await dir.apply(hub, file, {
			args: ['--replace', 'a'],
		});
		const status = await run(hub, ['status', '-f', file]);
		expectExit(status, 0);
		expect(status.stdout).toContain('(1 older archived session not shown)');

		const without = await writeSpec(dir.path, 'one-without.yaml', {
			stack: 'one',
			sessions: { a: { task: 'Task for a' } },
		});
		const markdown = await run(hub, ['plan', '-f', without, '--format', 'markdown']);
		expectExit(markdown, 0);
		const line = markdown.stdout.split('\n').find((l) => l.includes('<b>b</b>'))!;
		expect(line).toContain('— not in the spec (prune: archive)');
		expect(line).not.toMatch(/\([^)]*\(/);
	});

	it('a saved plan taken to another Hub is made for another Hub, not stale', async ({
		onTestFinished,
	}) => {
		const [made, other] = await Promise.all([
			hubForTest(onTestFinished),
			hubForTest(onTestFinished),
		]);
		const file = await writeSpec(dir.path, 'moved.yaml', {
			stack: 'moved',
			sessions: { a: { task: 'Task for a' } },
		});
		expectExit(await run(made, ['plan', '-f', file, '--out', 'moved.json']), 0);
		await other.resetStats();
		const applied = await run(other, ['apply', 'moved.json']);
		expectExit(applied, 4);
		expect(applied.stderr).toContain('The saved plan moved.json was made for another Hub');
		expect(applied.stderr).toContain(`made for ${made.url}`);
		expect(applied.stderr).toContain(`reaches ${other.url}`);
		expect(applied.stderr).not.toContain('stale');
		expect(other.stats().list ?? 0).toBe(0);
		expect(other.stats().create ?? 0).toBe(0);

		const shown = await run(other, ['show', 'moved.json']);
		expectExit(shown, 4);
		expect(shown.stdout).toContain('This saved plan was made for another Hub');
		expect(shown.stdout).not.toContain('stale');
	});

	it('an adopt: kept as a record plans a create once its session is archived', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedUnmarked(hub, 'Task for kept');
		const file = await writeSpec(dir.path, 'record.yaml', {
			stack: 'record',
			sessions: { kept: { task: 'Task for kept', adopt: id } },
		});
		await dir.apply(hub, file);
		expect((await liveIdsByKey(hub, 'record')).kept).toBe(id);
		await hub.client.archiveSession(id);

		const planned = planJson(await run(hub, ['plan', '-f', file, '--format', 'json']));
		expect(planned.summary).toMatchObject({ create: 1, adopt: 0 });
		expect(planned.actions[0]?.reason).toContain(`adopt: ${id} was applied`);
		await dir.apply(hub, file);
		expect((await liveIdsByKey(hub, 'record')).kept).not.toBe(id);
		expectExit(await run(hub, ['plan', '-f', file, '--detailed-exitcode']), 0);
	});
});
