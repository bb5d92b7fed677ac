/**
 * The one way tests run a `coder-sessions` command line: in-process by default (the real
 * program, commands and operations, with captured streams and its own environment), or as the
 * built binary (`binary: true`) where only a process shows the behaviour: exit on a signal, a
 * terminal, the process's own stderr and exit code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { streamIo } from '../../src/cli/io.js';
import { runProgram } from '../../src/cli/program.js';
import { runCommand, type CommandHost } from '../../src/cli/run.js';
import type { KindTable } from '../../src/kinds/kind.js';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/bin/coder-sessions.js', import.meta.url));

/**
 * The bound on one CLI run: far above what a run takes on a busy machine (each start of node
 * and the SDK can take 10 s there), and it still ends a hang (a watch that never stops).
 */
export const CLI_TIMEOUT_MS = 90_000;

export interface CliResult {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
}

export interface CliOptions {
	readonly cwd?: string;
	/** Added to a minimal environment; AGENTUITY_* from the outer environment never leak in. */
	readonly env?: Record<string, string | undefined>;
	/** Standard input of the binary (in-process runs have no terminal to read from either). */
	readonly input?: string;
	readonly timeoutMs?: number;
	/**
	 * Run the built binary in a child process instead of the program in this one (every run
	 * does with TEST_CLI_BINARY=1 in the environment of the tests).
	 */
	readonly binary?: boolean;
	/** The kinds the commands know, in-process only (default: the built-in table). */
	readonly table?: KindTable;
}

function minimalEnv(extra: CliOptions['env']): Record<string, string> {
	const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
	for (const [name, value] of Object.entries(extra ?? {})) {
		if (value !== undefined) env[name] = value;
	}
	return env;
}

/** Runs `coder-sessions ...args` as a user would, with a bounded run time. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
	if (options.binary || (process.env.TEST_CLI_BINARY === '1' && !options.table)) {
		return runNode([cliPath, ...args], options);
	}
	return runInProcess(args, options);
}

async function runInProcess(args: readonly string[], options: CliOptions): Promise<CliResult> {
	let stdout = '';
	let stderr = '';
	let code = 0;
	const streams = {
		out: (text: string) => (stdout += text),
		err: (text: string) => (stderr += text),
	};
	const io = streamIo(streams, {
		isTTY: false,
		env: minimalEnv(options.env),
		cwd: options.cwd ?? projectRoot,
		readStdin: async () => Buffer.from(options.input ?? ''),
		...(options.table ? { table: options.table } : {}),
	});
	const host: CommandHost = {
		run: async (body) => {
			code = await runCommand(io, () => body(io));
		},
	};
	const run = runProgram(args, host, (exit) => (code = exit), {
		writeOut: streams.out,
		writeErr: streams.err,
	});
	let timer: NodeJS.Timeout | undefined;
	const timeoutMs = options.timeoutMs ?? CLI_TIMEOUT_MS;
	const timedOut = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error(`coder-sessions ${args.join(' ')}: no exit within ${timeoutMs} ms`)),
			timeoutMs
		);
	});
	try {
		await Promise.race([run, timedOut]);
	} finally {
		clearTimeout(timer);
	}
	return { code, signal: null, stdout, stderr };
}

/** Runs `node ...args` (a script, or the CLI) in a minimal environment, with a bounded run time. */
export function runNode(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [...args], {
			cwd: options.cwd ?? projectRoot,
			env: minimalEnv(options.env),
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? CLI_TIMEOUT_MS);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
		child.stdin.end(options.input ?? '');
	});
}
