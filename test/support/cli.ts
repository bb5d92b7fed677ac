import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

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
	readonly input?: string;
	readonly timeoutMs?: number;
}

/** Runs the built `coder-sessions` binary as a user would, with a bounded run time. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
	return runNode([cliPath, ...args], options);
}

/** Runs `node ...args` (a script, or the CLI) in a minimal environment, with a bounded run time. */
export function runNode(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
	const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
	for (const [name, value] of Object.entries(options.env ?? {})) {
		if (value !== undefined) env[name] = value;
	}
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [...args], {
			cwd: options.cwd ?? projectRoot,
			env,
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
