// Bundles the compiled CLI (dist/cli/main.js, tsc's output) and its dependencies, the SDK
// included, into dist/bin/: the binary package.json names. Start-up is most of a command that
// never reaches the Hub, and a start-up of hundreds of small ES modules is mostly the loader
// resolving, reading and compiling each one; a few chunks, whitespace-minified and with only the
// parts of zod the schemas use, start several times faster. Chunks are split so a command still
// loads only what it runs (the SDK only for the commands that reach the Hub), and
// `dist/bin/meta.json` records which modules each chunk holds (test/cli/startup-modules.test.ts
// reads it). The library (dist/index.js) is tsc's output alone, importing its dependencies.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bin`;

rmSync(outdir, { recursive: true, force: true });
const result = await build({
	absWorkingDir: root,
	entryPoints: { 'coder-sessions': 'dist/cli/main.js' },
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Names stay readable: an internal error's stack is what a bug report quotes.
	minifyWhitespace: true,
	minifySyntax: true,
	// commander and yaml are CommonJS: their require() of Node's modules needs a real require.
	banner: {
		js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
	},
	metafile: true,
	logLevel: 'warning',
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile.outputs));
chmodSync(`${outdir}/coder-sessions.js`, 0o755);
