/**
 * End to end, through the built CLI and a local Hub on 127.0.0.1: a spec the loader refuses stops
 * every command before it reaches the Hub, with exit code 1, every located error on stderr, and
 * not one request on the Hub.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hubForTest } from '../support/local-hub.js';

const invalid = 'test/fixtures/invalid';

const COMMANDS: readonly (readonly string[])[] = [['plan'], ['apply', '--auto-approve']];

/** One fixture per kind of input the loader refuses, with the first line it prints. */
const FIXTURES: Record<string, string> = {
	'invalid-utf8.yaml': `${invalid}/invalid-utf8.yaml:6:17: invalid UTF-8 (byte 0xFF); save the file as UTF-8`,
	'utf16le-bom.yaml': `${invalid}/utf16le-bom.yaml:1:1: the file starts with a UTF-16 little-endian byte order mark; save it as UTF-8`,
	'proto-keys.yaml': `${invalid}/proto-keys.yaml:5:5: defaults.metadata.__proto__: "__proto__" cannot be used as a key: it is the name of a built-in property of JavaScript objects`,
	'yaml11-keys.yaml': `${invalid}/yaml11-keys.yaml:4:3: sessions.0x10: key 0x10 is read by YAML as the number 16, not as written; put it in quotes to keep it as written: "0x10"`,
	'tags.yaml': `${invalid}/tags.yaml:5:11: sessions.api-review.task: unsupported tag !!js/function: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood)`,
	'misindented-list.yaml': `${invalid}/misindented-list.yaml:8:8: sessions.api-review.tags[0]: this "- " line continues the text above instead of starting a list item: the list looks mis-indented (align each "-" with the one above); if the dash is text, quote the value or use a block scalar (|)`,
	'control-escapes.yaml': `${invalid}/control-escapes.yaml:5:11: sessions.api-review.task: contains the control character U+0000; only printable text, tabs and line breaks are allowed`,
};

describe('a refused spec reaches no Hub', () => {
	for (const command of COMMANDS) {
		it.for(Object.entries(FIXTURES))(
			`${command.join(' ')} -f %s exits 1 and sends nothing`,
			async ([file, firstLine], { onTestFinished }) => {
				const hub = await hubForTest(onTestFinished);
				const result = await cli(hub, [...command, '-f', `${invalid}/${file}`]);
				expect(result.stderr.split('\n')[0]).toBe(firstLine);
				expect(result.stderr).toMatch(/^\d+ errors? in /m);
				expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
				expect(result.stdout).toBe('');
				expect(result.code).toBe(1);
				expect(hub.stats().total ?? 0).toBe(0);
			}
		);
	}
});

describe('a var that fills a string past any size', () => {
	// 1 MiB of text filled in 600 times: more than a JavaScript string can hold.
	const text = `version: 1\nstack: s\nvars:\n  big: ${'x'.repeat(1024 * 1024)}\nsessions:\n  one:\n    task: "${'${var.big}'.repeat(600)}"\n`;

	it.for(COMMANDS)(
		'%s exits 1 with the error at the string, no stack trace, and sends nothing',
		async (command, { onTestFinished }) => {
			const dir = await mkdtemp(join(tmpdir(), 'coder-sessions-fill-'));
			onTestFinished(() => rm(dir, { recursive: true, force: true }));
			const file = join(dir, 'sessions.yaml');
			await writeFile(file, text);
			const hub = await hubForTest(onTestFinished);
			const result = await cli(hub, [...command, '-f', file]);
			expect(result.stderr).toBe(
				`${file}:7:11: sessions.one.task: filling in \${var.*} and \${each.*} here takes the file past 16 MiB of text; a spec file may expand to at most 16 MiB\n1 error in ${file}\n`
			);
			expect(result.stdout).toBe('');
			expect(result.code).toBe(1);
			expect(hub.stats().total ?? 0).toBe(0);
		}
	);
});
