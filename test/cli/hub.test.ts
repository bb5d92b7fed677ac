import { execFileSync } from 'node:child_process';
import { lstat, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { runCli as runCommandLine, type CliOptions } from '../support/cli.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';
import { tempDirForTest } from '../support/local-hub.js';

/** The built binary: `hub serve` is a process of its own. */
const runCli = (args: readonly string[], options: CliOptions = {}) =>
	runCommandLine(args, { ...options, binary: true });

let dir: string;
let hub: HubProcess | undefined;

beforeEach(async () => {
	dir = await tempDirForTest(onTestFinished, 'hub-cli-');
});

afterEach(async () => {
	await hub?.stop('SIGKILL');
	hub = undefined;
});

describe('coder-sessions hub serve', () => {
	it('serves on an ephemeral port, keeps state, and stops cleanly on SIGTERM', async () => {
		hub = await startHubProcess(['--port', '0', '--token', 'sekret-token'], { cwd: dir });
		expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(hub.stdout()).toContain(`export AGENTUITY_CODER_URL=${hub.url}`);

		const headers = { authorization: 'Bearer sekret-token', 'content-type': 'application/json' };
		const created = await fetch(`${hub.url}/api/hub/session`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ task: 'from the CLI test' }),
		});
		expect(created.status).toBe(201);

		const result = await hub.stop('SIGTERM');
		expect(result.code).toBe(0);
		expect(result.stdout + result.stderr).not.toContain('sekret-token');

		// Default state file, relative to the working directory: a restart serves the session.
		hub = await startHubProcess(['--port', '0', '--token', 'sekret-token'], { cwd: dir });
		const list = await fetch(`${hub.url}/api/hub/sessions`, { headers });
		expect(await list.json()).toMatchObject({ total: 1 });
		expect((await hub.stop('SIGINT')).code).toBe(0);
	});

	it('takes the token from --token-file, kept out of its command line', async () => {
		const tokenFile = join(dir, 'hub-token');
		await writeFile(tokenFile, 'file-token\n', { mode: 0o600 });
		hub = await startHubProcess(['--port', '0', '--no-state', '--token-file', tokenFile], {
			cwd: dir,
		});
		expect(hub.child.spawnargs.join(' ')).not.toContain('file-token');
		const list = (token: string) =>
			fetch(`${hub!.url}/api/hub/sessions`, { headers: { authorization: `Bearer ${token}` } });
		expect((await list('file-token')).status).toBe(200);
		expect((await list('other-token')).status).toBe(401);
		const both = await runCli(
			['hub', 'serve', '--no-state', '--token', 't', '--token-file', tokenFile],
			{ cwd: dir }
		);
		expect(both.code).toBe(1);
		expect(both.stderr).toContain('--token and --token-file both name the token');
	});

	it('--state through a symlink keeps the link and writes the file it points at', async () => {
		await writeFile(join(dir, 'real.json'), '');
		await symlink('real.json', join(dir, 'state.json'));
		hub = await startHubProcess(['--port', '0', '--token', 't', '--state', 'state.json'], {
			cwd: dir,
		});
		const created = await fetch(`${hub.url}/api/hub/session`, {
			method: 'POST',
			headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
			body: JSON.stringify({ task: 'through the link' }),
		});
		expect(created.status).toBe(201);
		expect((await hub.stop('SIGTERM')).code).toBe(0);
		expect((await lstat(join(dir, 'state.json'))).isSymbolicLink()).toBe(true);
		expect(await readFile(join(dir, 'real.json'), 'utf8')).toContain('through the link');
	});

	it('rejects bad flag values with a clear error and exit 1', async () => {
		for (const [flag, value, message] of [
			['--port', 'abc', '--port: expected an integer from 0 to 65535 (got "abc")'],
			['--fail-rate', '1.5', '--fail-rate: expected a number from 0 to 1'],
			['--rate-limit', 'fast', '--rate-limit: expected a number of requests per second'],
			['--latency-ms', '-5', '--latency-ms: expected a number of at least 0'],
		] as const) {
			const result = await runCli(['hub', 'serve', '--no-state', flag, value], { cwd: dir });
			expect(result.code, `${flag} ${value}`).toBe(1);
			expect(result.stderr).toContain(message);
		}
	});

	it('refuses a port fetch refuses, which no command could reach, before it listens', async () => {
		const result = await runCommandLine(['hub', 'serve', '--no-state', '--port', '4190'], {
			cwd: dir,
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('--port 4190: fetch refuses to connect to port 4190');
		expect(result.stdout).not.toContain('listening');
	});

	it('exits 1 with a clear error when the port is taken', async () => {
		const blocker: Server = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const port = (blocker.address() as { port: number }).port;
		try {
			const result = await runCli(['hub', 'serve', '--no-state', '--port', String(port)], {
				cwd: dir,
			});
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
		} finally {
			await new Promise((resolve) => blocker.close(resolve));
		}
	});

	it('exits 1 over a corrupt state file and leaves it as it was', async () => {
		const stateFile = join(dir, 'state.json');
		await writeFile(stateFile, '{"kind":"coder-sessions/local-hub","version":1}\nnot json\n{}\n');
		const result = await runCli(['hub', 'serve', '--port', '0', '--state', stateFile], {
			cwd: dir,
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`${stateFile}:2: not valid JSON`);
	});

	it.skipIf(process.platform === 'win32')(
		'exits 1 with a clear error when the state file is a FIFO, rather than wait on it forever',
		async () => {
			const stateFile = join(dir, 'state.fifo');
			execFileSync('mkfifo', [stateFile]);
			const result = await runCli(['hub', 'serve', '--port', '0', '--state', stateFile], {
				cwd: dir,
				// Far above a start that fails; a Hub that waits on the FIFO is killed here.
				timeoutMs: 30_000,
			});
			expect(result.signal).toBeNull();
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(`${stateFile}: cannot be read (not a regular file)`);
		}
	);

	it('serves a GitHub fixture from a YAML file', async () => {
		const fixture = join(dir, 'repos.yaml');
		await writeFile(fixture, '- account: agentuity\n  repos: [sdk, docs]\n');
		hub = await startHubProcess(['--port', '0', '--no-state', '--github-repos', fixture], {
			cwd: dir,
		});
		const response = await fetch(`${hub.url}/api/hub/github/repos?accountId=agentuity`);
		const body = (await response.json()) as { repositories: { fullName: string }[] };
		expect(body.repositories.map((repo) => repo.fullName)).toEqual([
			'agentuity/sdk',
			'agentuity/docs',
		]);
	});
});
