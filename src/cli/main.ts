#!/usr/bin/env node
import { isVersionOnly, packageVersion } from './version.js';

// `coder-sessions plan | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
		throw error;
	});
}

const args = process.argv.slice(2);
// The version alone is printed before anything else loads: not even the command-line parser.
if (isVersionOnly(args)) {
	process.stdout.write(`${packageVersion()}\n`);
} else {
	const [{ runProgram }, { exitWith, processHost }] = await Promise.all([
		import('./program.js'),
		import('./run.js'),
	]);
	await runProgram(args, processHost, exitWith);
}
