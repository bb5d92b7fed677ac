// Bundles the compiled CLI (tsc's output in dist/) and its dependencies, the SDK included, into
// dist/bin/: the binary package.json names. Start-up is most of a command that never reaches the
// Hub, and it is mostly loading and compiling code: hundreds of small ES modules start several
// times slower than one script, and Node 20 keeps no compiled code between runs. So:
// - dist/bin/cli.cjs is the whole CLI as one CommonJS script (entry: dist/cli/main.js). The
//   bundler wraps each module reached through a dynamic import() in a function run at its first
//   import, so a command still runs only the modules it needs (the SDK only where it reaches the
//   Hub).
// - dist/bin/cli.cjs.cache is V8's code cache of that script, written by a training run of
//   `validate` on the example spec (scripts/train-code-cache.mjs): the bytecode of every function
//   such a command compiles. src/cli/code-cache.ts reads it back.
// - dist/bin/coder-sessions.js, the binary, is the launcher (dist/cli/launch.js): it prints the
//   version alone, or runs cli.cjs with its cache.
// - dist/bin/meta.json records which modules each file holds (test/cli/startup-modules.test.ts
//   reads it); it is written last, once the cache is.
// The library (dist/index.js) is tsc's output alone, importing its dependencies.
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * zod's namespace object (`z`, which the SDK imports) re-exports every message locale, about half
 * of zod's bundled text, and every command that checks anything would compile them. Nothing here
 * or in the SDK calls `z.config(z.locales.xx())`: zod's own default, English, is all it uses, so
 * the locales module is bundled with English alone.
 */
const englishLocaleOnly = {
	name: 'zod-english-locale-only',
	setup(bundler) {
		bundler.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
			args.importer.includes(`${sep}node_modules${sep}zod${sep}`)
				? { path: args.importer, namespace: 'zod-locales' }
				: undefined
		);
		bundler.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
			contents: "export { default as en } from '../locales/en.js';",
			resolveDir: dirname(args.path),
		}));
	},
};

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bin`;

/** One CommonJS script of `entry` and everything it imports. */
function bundle(entry, outfile) {
	return build({
		absWorkingDir: root,
		entryPoints: [entry],
		outfile: `${outdir}/${outfile}`,
		bundle: true,
		format: 'cjs',
		platform: 'node',
		target: 'node20',
		// Names stay readable: an internal error's stack is what a bug report quotes.
		minifyWhitespace: true,
		minifySyntax: true,
		// The sources are ES modules: strict mode, which a script has only when its first statement
		// asks for it, and import.meta.url, here the script's own URL.
		define: { 'import.meta.url': '__coderSessionsUrl' },
		banner: {
			js: `"use strict";var __coderSessionsUrl=require('node:url').pathToFileURL(__filename).href;`,
		},
		plugins: [englishLocaleOnly],
		metafile: true,
		logLevel: 'error',
	});
}

rmSync(outdir, { recursive: true, force: true });
const [cli, launcher] = await Promise.all([
	bundle('dist/cli/main.js', 'cli.cjs'),
	bundle('dist/cli/launch.js', 'coder-sessions.js'),
]);
// The package is ES modules ("type": "module"); the binary's folder is CommonJS scripts.
writeFileSync(`${outdir}/package.json`, '{ "type": "commonjs" }\n');
chmodSync(`${outdir}/coder-sessions.js`, 0o755);

// The training run: a process of its own, with no flags that would make V8 refuse the cache.
const { NODE_OPTIONS: _, ...env } = process.env;
const training = spawnSync(
	process.execPath,
	['scripts/train-code-cache.mjs', `${outdir}/cli.cjs`, 'validate', '-f', 'examples/sessions.yaml'],
	{ cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }
);
if (training.status !== 0) {
	throw new Error(
		`the code cache's training run failed (exit ${training.status}):\n${training.stderr}`
	);
}
writeFileSync(
	`${outdir}/meta.json`,
	JSON.stringify({ ...cli.metafile.outputs, ...launcher.metafile.outputs })
);
