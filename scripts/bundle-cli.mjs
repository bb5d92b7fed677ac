// Bundles the compiled CLI (dist/cli/main.js, tsc's output) and its dependencies, the SDK
// included, into dist/bin/: the binary package.json names. Start-up is most of a command that
// never reaches the Hub, and a start-up of hundreds of small ES modules is mostly the loader
// resolving, reading and compiling each one; a few chunks, whitespace-minified and with only the
// parts of zod the schemas use, start several times faster. Chunks are split so a command still
// loads only what it runs (the SDK only for the commands that reach the Hub), and
// `dist/bin/meta.json` records which modules each chunk holds (test/cli/startup-modules.test.ts
// reads it). The library (dist/index.js) is tsc's output alone, importing its dependencies.
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
	plugins: [englishLocaleOnly],
	metafile: true,
	logLevel: 'warning',
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile.outputs));
chmodSync(`${outdir}/coder-sessions.js`, 0o755);
