/**
 * `hub serve` finds the GitHub fixture where `--local` does, and says at start what plans that
 * pin repos will meet without one.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../support/cli.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';
import { tempDirForTest, writeSpec } from '../support/local-hub.js';

const SPEC =
	'version: 1\nstack: pinned\nsessions:\n  docs:\n    task: Docs\n    repo: agentuity/sdk\n';

let dir: string;
let hub: HubProcess | undefined;

beforeEach(async () => {
	dir = await tempDirForTest(onTestFinished, 'hub-github-');
	await writeSpec(dir, 'sessions.yaml', SPEC);
});

afterEach(async () => {
	await hub?.stop('SIGKILL');
	hub = undefined;
});

/** stderr arrives on its own pipe: wait (bounded) for the start-up note. */
async function stderrOf(served: HubProcess, text: string): Promise<string> {
	for (let attempt = 0; attempt < 100 && !served.stderr().includes(text); attempt++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return served.stderr();
}

const plan = (url: string, ...args: string[]) =>
	runCli(['plan', '--url', url, ...args], { cwd: dir });

describe('hub serve and the repo check', () => {
	it('without a fixture, says at start how to give one; plans then fail the repo check', async () => {
		hub = await startHubProcess(['--port', '0', '--no-state'], { cwd: dir });
		expect(await stderrOf(hub, 'GitHub: not connected')).toContain(
			'give --github-repos FILE, put the fixture at .coder-sessions/github-repos.yaml, or plan with --no-repo-check'
		);
		const failed = await plan(hub.url);
		expect(failed.code).toBe(1);
		expect(failed.stderr).toContain('log in with GitHub');
		expect((await plan(hub.url, '--no-repo-check')).code).toBe(0);
	});

	it('reads .coder-sessions/github-repos.yaml as --local does', async () => {
		await mkdir(join(dir, '.coder-sessions'));
		await writeFile(
			join(dir, '.coder-sessions/github-repos.yaml'),
			'- account: agentuity\n  repos: [sdk]\n'
		);
		hub = await startHubProcess(['--port', '0', '--no-state'], { cwd: dir });
		const note = 'GitHub: the repos of .coder-sessions/github-repos.yaml';
		expect(await stderrOf(hub, note)).toContain(note);
		const planned = await plan(hub.url);
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain('docs');
	});
});
