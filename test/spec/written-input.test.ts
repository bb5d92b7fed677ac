/**
 * How a spec is written, beyond what the schema sees: keys exactly as written, the encoding,
 * tags, control characters, list items folded into text, errors that would hide each other.
 * The exact messages, positions included, are the contract.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSpecError, loadSpec, parseSpecText, type Spec } from '../../src/spec/index.js';

const invalidDir = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const validDir = fileURLToPath(new URL('../fixtures/valid/', import.meta.url));

async function errorsOf(file: string): Promise<string[]> {
	const result = await loadSpec([file], { cwd: invalidDir });
	if (result.ok) throw new Error(`expected ${file} to be invalid`);
	return result.errors.map(formatSpecError);
}

async function specOf(file: string): Promise<Spec> {
	const result = await loadSpec([file], { cwd: validDir });
	if (!result.ok) throw new Error(result.errors.map(formatSpecError).join('\n'));
	return result.spec;
}

const CASES: Record<string, readonly string[]> = {
	'proto-keys.yaml': [
		'proto-keys.yaml:5:5: defaults.metadata.__proto__: "__proto__" cannot be used as a key: it is the name of a built-in property of JavaScript objects',
		'proto-keys.yaml:9:5: sessions.api-review.__proto__: "__proto__" cannot be used as a key: it is the name of a built-in property of JavaScript objects',
		'proto-keys.yaml:11:7: sessions.api-review.metadata.constructor: "constructor" cannot be used as a key: it is the name of a built-in property of JavaScript objects',
		'proto-keys.yaml:14:7: sessions.api-review.env.__proto__: "__proto__" cannot be used as a key: it is the name of a built-in property of JavaScript objects',
		'proto-keys.yaml:15:7: sessions.api-review.env.toString: "toString" cannot be used as a key: it is the name of a built-in property of JavaScript objects',
		'proto-keys.yaml:16:3: sessions.__proto__: "__proto__" cannot be used as a key: it is the name of a built-in property of JavaScript objects',
	],
	'yaml11-keys.yaml': [
		'yaml11-keys.yaml:4:3: sessions.0x10: key 0x10 is read by YAML as the number 16, not as written; put it in quotes to keep it as written: "0x10"',
		'yaml11-keys.yaml:9:7: sessions.api-review.metadata.0o10: key 0o10 is read by YAML as the number 8, not as written; put it in quotes to keep it as written: "0o10"',
		'yaml11-keys.yaml:10:7: sessions.api-review.metadata.1e3: key 1e3 is read by YAML as the number 1000, not as written; put it in quotes to keep it as written: "1e3"',
		'yaml11-keys.yaml:11:7: sessions.api-review.metadata[".inf"]: key .inf is read by YAML as the number Infinity, not as written; put it in quotes to keep it as written: ".inf"',
		'yaml11-keys.yaml:12:7: sessions.api-review.metadata["~"]: key ~ is read by YAML as an empty key (null), not as written; put it in quotes to keep it as written: "~"',
		'yaml11-keys.yaml:13:7: sessions.api-review.metadata.True: key True is read by YAML as the boolean true, not as written; put it in quotes to keep it as written: "True"',
		'yaml11-keys.yaml:14:7: sessions.api-review.metadata.010: key 010 is read by YAML as the number 10, not as written; put it in quotes to keep it as written: "010"',
		'yaml11-keys.yaml:15:7: sessions.api-review.metadata["1.0"]: key 1.0 is read by YAML as the number 1, not as written; put it in quotes to keep it as written: "1.0"',
		'yaml11-keys.yaml:19:7: sessions.api-review.env.null: key null is read by YAML as an empty key (null), not as written; put it in quotes to keep it as written: "null"',
	],
	'yaml11-directive.yaml': [
		'yaml11-directive.yaml:8:14: sessions.api-review.protect: expected true or false (got a string)',
		'yaml11-directive.yaml:10:7: sessions.api-review.metadata["<<"]: YAML merge keys (<<) are not supported; put shared settings in defaults',
	],
	'tags.yaml': [
		'tags.yaml:5:11: sessions.api-review.task: unsupported tag !!js/function: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood)',
		'tags.yaml:6:12: sessions.api-review.label: unsupported tag !foo: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood)',
		'tags.yaml:7:24: sessions.api-review.tags[1]: unsupported tag !!binary: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood)',
		'tags.yaml:8:15: sessions.api-review.metadata: unsupported tag !!set: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood)',
		'tags.yaml:10:19: sessions.api-review.defaultAgent: the value "yes" does not match its tag !!bool',
		'tags.yaml:12:3: sessions.docs-bot: unsupported tag !custom: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood)',
	],
	'misindented-list.yaml': [
		'misindented-list.yaml:8:8: sessions.api-review.tags[0]: this "- " line continues the text above instead of starting a list item: the list looks mis-indented (align each "-" with the one above); if the dash is text, quote the value or use a block scalar (|)',
		'misindented-list.yaml:11:9: sessions.api-review.enabledAgents[0]: this "- " line continues the text above instead of starting a list item: the list looks mis-indented (align each "-" with the one above); if the dash is text, quote the value or use a block scalar (|)',
		'misindented-list.yaml:14:7: sessions.docs-bot.task: this "- " line continues the text above instead of starting a list item: the list looks mis-indented (align each "-" with the one above); if the dash is text, quote the value or use a block scalar (|)',
	],
	'masked-errors.yaml': [
		'masked-errors.yaml:4:3: sessions.API-Review: invalid session key "API-Review": use up to 63 lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit',
		'masked-errors.yaml:4:3: sessions.API-Review.task: required field "task" is missing',
		'masked-errors.yaml:5:5: sessions.API-Review.lable: unknown field "lable" (did you mean "label"?)',
		'masked-errors.yaml:6:17: sessions.API-Review.visibility: expected one of private, organization, collaborate (got "public")',
		'masked-errors.yaml:9:5: sessions.docs-bot.lable: unknown field "lable" (did you mean "label"?)',
		'masked-errors.yaml:10:17: sessions.docs-bot.visibility: expected one of private, organization, collaborate (got "public")',
		'masked-errors.yaml:11:11: sessions.docs-bot.tags: expected a list of strings (got a string)',
		'masked-errors.yaml:12:19: sessions.docs-bot.workflowMode: is "standard" but a loop block is set: use workflowMode: loop, or remove the loop block',
		'masked-errors.yaml:15:12: sessions.docs-bot.adopt: cannot be combined with state: archived; adopt the session first, then archive it',
		'masked-errors.yaml:18:7: sessions.docs-bot.metadata["coder-sessions/owner"]: metadata key "coder-sessions/owner" is reserved: keys starting with "coder-sessions/" are written by coder-sessions itself',
		'masked-errors.yaml:18:29: sessions.docs-bot.metadata["coder-sessions/owner"]: expected a string (got a number); put it in quotes to make it a string: "7"',
		'masked-errors.yaml:20:7: sessions.docs-bot.env.1TOKEN: invalid environment variable name "1TOKEN": use letters, digits and underscores, not starting with a digit',
		'masked-errors.yaml:20:15: sessions.docs-bot.env.1TOKEN: expected a string (got a number); put it in quotes to make it a string: "42"',
	],
	'control-escapes.yaml': [
		'control-escapes.yaml:5:11: sessions.api-review.task: contains the control character U+0000; only printable text, tabs and line breaks are allowed',
		'control-escapes.yaml:6:12: sessions.api-review.label: contains the control character U+001B; only printable text, tabs and line breaks are allowed',
		'control-escapes.yaml:8:7: sessions.api-review.metadata["team\\u0007"]: key "team\\u0007" contains the control character U+0007; keys must be printable text',
		'control-escapes.yaml:9:7: sessions.api-review.metadata["owner\\n"]: key "owner\\n" contains the control character U+000A; keys must be printable text',
		'control-escapes.yaml:12:18: sessions.api-review.description: contains the unpaired surrogate U+D800; only printable text, tabs and line breaks are allowed',
	],
	'control-raw.yaml': [
		'control-raw.yaml:3:9: the control character U+0001 is not allowed in a YAML file; only printable text, tabs and line breaks are',
	],
	'merge-alias-keys.yaml': [
		'merge-alias-keys.yaml:10:7: sessions.api-review.metadata["<<"]: YAML merge keys (<<) are not supported; put shared settings in defaults',
		'merge-alias-keys.yaml:12:3: sessions.docs-bot.task: required field "task" is missing',
		'merge-alias-keys.yaml:13:5: sessions.docs-bot["<<"]: YAML merge keys (<<) are not supported; put shared settings in defaults',
		'merge-alias-keys.yaml:17:7: sessions.release.metadata["Review the API"]: an alias (*owner) cannot be used as a key; write the key out',
		'merge-alias-keys.yaml:18:9: sessions.release.metadata: a key must be a string, not a mapping or a list',
	],
	'invalid-utf8.yaml': [
		'invalid-utf8.yaml:6:17: invalid UTF-8 (byte 0xFF); save the file as UTF-8',
	],
	'overlong-utf8.yaml': [
		'overlong-utf8.yaml:4:4: invalid UTF-8 (byte 0xC0); save the file as UTF-8',
	],
	'utf16le-bom.yaml': [
		'utf16le-bom.yaml:1:1: the file starts with a UTF-16 little-endian byte order mark; save it as UTF-8',
	],
	'utf16be-bom.yaml': [
		'utf16be-bom.yaml:1:1: the file starts with a UTF-16 big-endian byte order mark; save it as UTF-8',
	],
	'utf32le-bom.yaml': [
		'utf32le-bom.yaml:1:1: the file starts with a UTF-32 little-endian byte order mark; save it as UTF-8',
	],
	'written-values.yaml': [
		'written-values.yaml:6:27: sessions.api-review.enabledAgents[1]: expected a string (got a number); put it in quotes to make it a string: "0x7"',
		'written-values.yaml:6:32: sessions.api-review.enabledAgents[2]: expected a string (got a number); put it in quotes to make it a string: "1e3"',
		'written-values.yaml:6:37: sessions.api-review.enabledAgents[3]: expected a string (got true); put it in quotes to make it a string: "True"',
		'written-values.yaml:6:43: sessions.api-review.enabledAgents[4]: expected a string (got a number); put it in quotes to make it a string: "12"',
		'written-values.yaml:8:15: sessions.api-review.metadata.ticket: expected a string (got a number); put it in quotes to make it a string: "0o17"',
	],
	'duplicate-and-more.yaml': [
		'duplicate-and-more.yaml:6:3: sessions.api-review: duplicate key "api-review" (first declared at line 4); keys must be unique',
		'duplicate-and-more.yaml:8:3: sessions.docs-bot.task: required field "task" is missing',
		'duplicate-and-more.yaml:9:5: sessions.docs-bot.lable: unknown field "lable" (did you mean "label"?)',
	],
};

describe('how a spec is written', () => {
	it.each(Object.entries(CASES))('%s', async (file, expected) => {
		expect(await errorsOf(file)).toEqual(expected);
	});

	it('keeps keys and folded plain text exactly as written, under YAML 1.2 whatever the directive', async () => {
		const [first, release] = (await specOf('written-as-is.yaml')).sessions;
		expect(first).toMatchObject({
			key: '0x10',
			task: 'Review the API reference and every docs page that links to it; -1 is not a page number, and a dash-less line is fine',
			tags: ['docs', 'api'],
			metadata: {
				'1_000': 'kept as written',
				yes: 'kept as written',
				true: 'kept as written',
				'12': 'kept as written',
				'2001-12-14': 'kept as written',
				prototype: 'kept as written',
				'0o10': 'quoted',
				no: 'off',
			},
			env: { on: 'y' },
		});
		expect(release).toMatchObject({
			key: 'release',
			task: 'Steps:\n- bump the version\n- tag the release\n',
			label: '2024',
		});
	});

	it('reads a file that starts with a UTF-8 byte order mark', async () => {
		const [session] = (await specOf('utf8-bom.yaml')).sessions;
		expect(session).toMatchObject({
			key: 'api-review',
			task: 'Review the API \u2014 caf\u00e9',
			source: { line: 4, column: 3 },
		});
	});

	it('reports nesting deeper than a spec can be, at the first level too deep', async () => {
		const errors = await errorsOf('deep-nesting.yaml');
		expect(errors).toHaveLength(2);
		expect(errors[0]).toBe(
			'deep-nesting.yaml:6:15: sessions.api-review.metadata: expected a mapping (got a list)'
		);
		expect(errors[1]).toBe(
			`deep-nesting.yaml:6:77: sessions.api-review.metadata${'[0]'.repeat(62)}: nested more than 64 levels deep`
		);
	});

	it('reports nesting too deep for the YAML parser as an error, not a crash', () => {
		const depth = 20_000;
		const text = `version: 1\nstack: docs-team\nsessions: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
		const result = parseSpecText(text, 'deep.yaml');
		expect(result.ok).toBe(false);
		const messages = result.ok ? [] : result.errors.map((error) => error.message);
		expect(messages.length).toBeGreaterThan(0);
		expect(new Set(messages)).toEqual(new Set(['invalid YAML: nested too deeply']));
	});
});
