import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_TIMEOUT_MS, cliPath, projectRoot, type CliResult } from './cli.js';

export interface HubProcess {
	readonly url: string;
	readonly child: ChildProcess;
	readonly stdout: () => string;
	readonly stderr: () => string;
	/** Sends `signal` and waits (bounded) for the process to exit. */
	readonly stop: (signal?: NodeJS.Signals) => Promise<CliResult>;
}

export interface HubProcessOptions {
	readonly cwd?: string;
	readonly env?: Record<string, string | undefined>;
	/** How long to wait for the "listening" line, and for exit after a signal. */
	readonly timeoutMs?: number;
}

/**
 * Starts `coder-sessions hub serve ...args` (the built binary) and resolves once it prints its
 * URL. Rejects with its output if it exits first or takes longer than the timeout.
 */
export function startHubProcess(
	args: readonly string[],
	options: HubProcessOptions = {}
): Promise<HubProcess> {
	const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
	for (const [name, value] of Object.entries(options.env ?? {})) {
		if (value !== undefined) env[name] = value;
	}
	const timeoutMs = options.timeoutMs ?? CLI_TIMEOUT_MS;
	const child = spawn(process.execPath, [cliPath, 'hub', 'serve', ...args], {
		cwd: options.cwd ?? projectRoot,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise<CliResult>((resolve) => {
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});

	const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<CliResult> => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		try {
			return await exited;
		} finally {
			clearTimeout(timer);
		}
	};

	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(`hub serve did not report its URL within ${timeoutMs} ms\n${stdout}\n${stderr}`)
			);
		}, timeoutMs);
		const onData = (): void => {
			// Ready once both lines are out: the URL, then the export line printed after it.
			const url = /Local Hub listening on (http:\/\/\S+)\n/.exec(stdout)?.[1];
			if (!url || !/export AGENTUITY_CODER_URL=\S+\n/.test(stdout)) return;
			clearTimeout(timer);
			child.stdout!.off('data', onData);
			resolve({ url, child, stdout: () => stdout, stderr: () => stderr, stop });
		};
		child.stdout!.on('data', onData);
		void exited.then((result) => {
			clearTimeout(timer);
			reject(
				new Error(
					`hub serve exited (${result.code ?? result.signal}) before listening\n${result.stdout}\n${result.stderr}`
				)
			);
		});
	});
}
