#!/usr/bin/env node
/**
 * The binary (dist/bin/coder-sessions.js): the version alone is printed here, before the CLI is
 * even read; anything else runs the bundled CLI (dist/bin/cli.cjs, whose entry is main.ts) with
 * its code cache.
 */
import { fileURLToPath } from 'node:url';
import { exitQuietlyOnClosedPipe } from './closed-pipe.js';
import { runBundle } from './code-cache.js';
import { isVersionOnly, packageVersion } from './version.js';

exitQuietlyOnClosedPipe();
if (isVersionOnly(process.argv.slice(2))) process.stdout.write(`${packageVersion()}\n`);
else runBundle(fileURLToPath(new URL('cli.cjs', import.meta.url)));
