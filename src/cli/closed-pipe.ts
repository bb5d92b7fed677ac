/**
 * `coder-sessions plan | head` closes the pipe early: that is the reader's choice, not an error.
 * Both the binary's launcher and the CLI's entry install this; the process keeps one guard.
 */
const INSTALLED = Symbol.for('coder-sessions.closed-pipe-guard');

export function exitQuietlyOnClosedPipe(): void {
	const host = process as NodeJS.Process & { [INSTALLED]?: true };
	if (host[INSTALLED]) return;
	host[INSTALLED] = true;
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
			throw error;
		});
	}
}
