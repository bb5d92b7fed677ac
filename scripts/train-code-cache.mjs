// `node scripts/train-code-cache.mjs BUNDLE ARGS...`: runs the bundled CLI with ARGS as its
// command line and, once it exits 0, writes V8's code cache of BUNDLE (everything the run
// compiled) beside it. scripts/bundle-cli.mjs runs it after each build.
import { codeCacheFile, runBundle, writeCodeCache } from '../dist/cli/code-cache.js';

const [bundle, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], bundle, ...args];
const loaded = runBundle(bundle);
process.on('exit', (code) => {
	if (code === 0) writeCodeCache(loaded, codeCacheFile(bundle));
});
