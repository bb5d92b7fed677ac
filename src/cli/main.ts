import { exitQuietlyOnClosedPipe } from './closed-pipe.js';
import { isVersionOnly, packageVersion } from './version.js';

exitQuietlyOnClosedPipe();
const args = process.argv.slice(2);
// The version alone is printed before anything else loads: not even the command-line parser.
if (isVersionOnly(args)) {
	process.stdout.write(`${packageVersion()}\n`);
} else {
	// No top-level await: the binary bundles this module as a CommonJS script (see launch.ts).
	void Promise.all([import('./program.js'), import('./run.js')]).then(
		([{ runProgram }, { exitWith, processHost }]) => runProgram(args, processHost, exitWith)
	);
}
