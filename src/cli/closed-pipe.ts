/**
 * `coder-sessions plan | head` closes the pipe early: that is the reader's choice, not an error,
 * and the command stops quietly with its exit code so far. A command that writes to the Hub is
 * not stopped by it (`apply | head -1` would otherwise end an apply midway, exit 0): it runs to
 * its end, its output dropped. Output that cannot be written for another reason (a full disk
 * under `> plan.json`) is said on stderr, exit 1, never as a crash.
 * Both the binary's launcher and the CLI's entry install this; the process keeps one guard.
 */
import { ExitCode } from '../core/exit-code.js';

const GUARD = Symbol.for('coder-sessions.closed-pipe-guard');

interface Guard {
	/** Set by a command that writes to the Hub: its output going away must not stop it midway. */
	runToTheEnd: boolean;
	/** Said on stderr already, once. */
	told: boolean;
}

type GuardedProcess = NodeJS.Process & { [GUARD]?: Guard };

export function exitQuietlyOnClosedPipe(): void {
	const host = process as GuardedProcess;
	if (host[GUARD]) return;
	const guard: Guard = { runToTheEnd: false, told: false };
	host[GUARD] = guard;
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', (error: NodeJS.ErrnoException) => onOutputError(guard, stream, error));
	}
}

/**
 * From here on a closed or failing output never stops the process: for a command whose writes
 * to the Hub must not be cut off midway by whoever reads its output.
 */
export function runToTheEndWhenOutputCloses(): void {
	const guard = (process as GuardedProcess)[GUARD];
	// Without the guard (the commands run in another program's process) there is nothing to keep.
	if (guard) guard.runToTheEnd = true;
}

function onOutputError(guard: Guard, stream: NodeJS.WriteStream, error: NodeJS.ErrnoException) {
	// A write after the reader left finds the stream destroyed: that is the same closed pipe.
	const closed = error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
	if (!guard.runToTheEnd) {
		if (closed) process.exit(process.exitCode ?? 0);
		if (stream !== process.stderr) tell(guard, `Error: ${cannotWrite(error)}`);
		process.exit(ExitCode.Error);
	}
	// Later writes to the stream fail quietly; the exit code is the run's, unless output was lost.
	if (stream === process.stderr) return;
	if (closed) {
		tell(guard, 'note: standard output was closed; the run goes on to its end without it');
		return;
	}
	tell(guard, `Error: ${cannotWrite(error)}; the run goes on to its end without it`);
	process.once('exit', () => {
		if (!process.exitCode) process.exitCode = ExitCode.Error;
	});
}

function tell(guard: Guard, line: string): void {
	if (guard.told) return;
	guard.told = true;
	try {
		process.stderr.write(`${line}\n`);
	} catch {
		// stderr is gone too: the exit code says it
	}
}

function cannotWrite(error: NodeJS.ErrnoException): string {
	const why =
		error.code === 'ENOSPC'
			? 'no space left on the device'
			: error.code === 'EFBIG'
				? 'the file is too large'
				: (error.code ?? error.message);
	return `cannot write to standard output (${why})`;
}
