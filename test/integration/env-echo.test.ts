/**
 * A Hub that echoes env values in the session detail (the local Hub's `echoEnv`, as a real Hub
 * may), end to end on 127.0.0.1: plan compares env values by the echo, so a changed value shows
 * even without CODER_SESSIONS_ENV_KEY; no echoed value ever appears in plan, apply, drift or
 * status output, in any format; and a saved plan made while the Hub echoed still holds once the
 * echo is gone (a restart), as plan falls back to the keyed digests recorded at create.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	applySpec,
	cli,
	hubForTest,
	startTestHub,
	useTempDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const RUN_TIMEOUT_MS = 90_000;
const APPLIED = 'echoed-value-7c41f0';
const CHANGED = 'changed-value-93ab2e';
const NO_KEY = { CODER_SESSIONS_ENV_KEY: undefined };

const entries = {
	tokened: { task: 'Task for tokened', env: { API_TOKEN: '${API_TOKEN}' } },
	plain: { task: 'Task for plain' },
};

describe.concurrent('a Hub that echoes env values', { timeout: 300_000 }, () => {
	const dir = useTempDir('env-echo-it-');
	const run = (hub: TestHub | string, args: string[], env: Record<string, string | undefined>) =>
		cli(hub, args, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS, env });

	it('shows a changed env value by the echo, without CODER_SESSIONS_ENV_KEY', async ({
		onTestFinished,
	}) => {
		const [echoing, silent] = await Promise.all([
			hubForTest(onTestFinished, { echoEnv: true }),
			hubForTest(onTestFinished),
		]);
		const file = await writeSpec(dir.path, 'compare.yaml', { stack: 'compare', sessions: entries });
		for (const hub of [echoing, silent])
			await applySpec(hub, file, { cwd: dir.path, env: { ...NO_KEY, API_TOKEN: APPLIED } });
		const plan = (hub: TestHub, value: string) =>
			run(hub, ['plan', '-f', file, '--detailed-exitcode', '--format', 'json'], {
				...NO_KEY,
				API_TOKEN: value,
			});

		const [same, changed, unseen] = await Promise.all([
			plan(echoing, APPLIED),
			plan(echoing, CHANGED),
			plan(silent, CHANGED),
		]);
		expectExit(same, 0);
		expectExit(changed, 2);
		const action = JSON.parse(changed.stdout).actions.find(
			(a: { key: string }) => a.key === 'tokened'
		);
		expect(action).toMatchObject({ kind: 'replace' });
		expect(JSON.stringify(action)).toContain('API_TOKEN');
		// Without the echo or the key, the value cannot be compared: only keys and templates are.
		expectExit(unseen, 0);
		for (const result of [same, changed, unseen]) {
			expect(result.stdout + result.stderr).not.toContain(APPLIED);
			expect(result.stdout + result.stderr).not.toContain(CHANGED);
		}
	});

	it('never prints an echoed value: plan, apply, drift and status in every format', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { echoEnv: true });
		const file = await writeSpec(dir.path, 'redact.yaml', { stack: 'redact', sessions: entries });
		await applySpec(hub, file, { cwd: dir.path, env: { API_TOKEN: APPLIED } });
		// The Hub does echo it: what the tool reads holds the value.
		const ids = (await hub.client.listSessions({ limit: 10 })).sessions.map((s) => s.sessionId);
		const details = await Promise.all(ids.map((id) => hub.client.getSession(id)));
		expect(JSON.stringify(details)).toContain(APPLIED);

		const env = { API_TOKEN: CHANGED };
		const runs = await Promise.all([
			...['text', 'json', 'markdown'].map((format) =>
				run(hub, ['plan', '-f', file, '--format', format], env)
			),
			...['text', 'json'].map((format) => run(hub, ['drift', '-f', file, '--format', format], env)),
			...['text', 'json'].map((format) =>
				run(hub, ['status', '-f', file, '--format', format], env)
			),
			run(hub, ['plan', '-f', file, '--out', 'redact-plan.json'], env),
		]);
		for (const result of runs) expect([0, 2]).toContain(result.code);
		// One after another: the first replaces the session, the others find nothing to do.
		const applied = [];
		for (const format of ['text', 'json', 'jsonl'])
			applied.push(
				await run(hub, ['apply', '-f', file, '--auto-approve', '--format', format], env)
			);
		const shown = await run(hub, ['show', 'redact-plan.json'], env);
		for (const result of [...runs, ...applied, shown]) {
			expect(result.stdout + result.stderr).not.toContain(APPLIED);
			expect(result.stdout + result.stderr).not.toContain(CHANGED);
		}
		for (const result of applied) expectExit(result, 0);
		expect(applied[0]!.stdout).toContain('Apply finished: 1 applied, 0 failed');
		expect(applied[1]!.stdout).not.toContain('API_TOKEN');
	});

	it('keeps a saved plan made by the echo when the echo is gone: the keyed digest decides', async ({
		onTestFinished,
	}) => {
		const stateFile = join(dir.path, 'saved-echo-state.json');
		const first = await startTestHub({ echoEnv: true, stateFile });
		const file = await writeSpec(dir.path, 'saved-echo.yaml', {
			stack: 'saved-echo',
			sessions: entries,
		});
		await applySpec(first, file, { cwd: dir.path, env: { API_TOKEN: APPLIED } });
		// A label change elsewhere; the env value, compared by the echo, is unchanged.
		const edited = await writeSpec(dir.path, 'saved-echo-edited.yaml', {
			stack: 'saved-echo',
			sessions: { ...entries, plain: { ...entries.plain, label: 'Plain, relabelled' } },
		});
		const planned = await run(
			first,
			['plan', '-f', edited, '--out', 'saved-echo.json', '--format', 'json'],
			{ API_TOKEN: APPLIED }
		);
		expectExit(planned, 0);
		const kinds = JSON.parse(planned.stdout).actions.map((a: { key: string; kind: string }) => [
			a.key,
			a.kind,
		]);
		expect(Object.fromEntries(kinds)).toEqual({ plain: 'update', tokened: 'noop' });
		const url = first.url;
		await first.close();

		// The same Hub again, from its state file: the values it echoed were in memory only.
		const again = await startTestHub({ port: Number(new URL(url).port), stateFile });
		onTestFinished(() => again.close());
		const listed = await again.client.listSessions({ limit: 10 });
		const details = await Promise.all(
			listed.sessions.map((item) => again.client.getSession(item.sessionId))
		);
		expect(JSON.stringify(details)).not.toContain(APPLIED);

		const applied = await run(again, ['apply', 'saved-echo.json'], { API_TOKEN: APPLIED });
		expectExit(applied, 0);
		expect(applied.stderr).not.toContain('stale');
		expect(applied.stdout + applied.stderr).not.toContain(APPLIED);
		const after = await run(again, ['plan', '-f', edited, '--detailed-exitcode'], {
			API_TOKEN: APPLIED,
		});
		expectExit(after, 0);
	});
});
