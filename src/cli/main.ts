#!/usr/bin/env node
import { runProgram } from './program.js';
import { exitWith, processHost } from './run.js';

// `coder-sessions plan | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
		throw error;
	});
}

await runProgram(process.argv.slice(2), processHost, exitWith);
