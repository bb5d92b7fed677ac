import { describe, expect, it } from 'vitest';
import {
	codeText,
	fenced,
	guardLines,
	inlineText,
	isWorkflowCommand,
	jsonText,
	markdownText,
	messageText,
	textLines,
} from '../../../src/core/untrusted/index.js';
import { CORPUS, HOSTILE, textProblems } from '../../support/hostile-text.js';

describe('inlineText', () => {
	it('escapes every hidden character in one documented form', () => {
		expect(inlineText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
		expect(inlineText('\x1b[2J\x07\0\x7f')).toBe('\\u001b[2J\\u0007\\u0000\\u007f');
		expect(inlineText('\u009b31m \u0085')).toBe('\\u009b31m \\u0085');
		expect(inlineText('\u202egnp.exe\u202c \u2066x\u2069 \u200e\u200f\u061c')).toBe(
			'\\u202egnp.exe\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c'
		);
		expect(inlineText('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
		expect(inlineText('lone \ud800 and \udc00, pair 😀')).toBe('lone \\ud800 and \\udc00, pair 😀');
		// Printable text, other scripts and backslashes stay as they are.
		expect(inlineText('Überblick: 概要 — a\\nb')).toBe('Überblick: 概要 — a\\nb');
	});

	it('never starts with a workflow command, nor holds a legacy one', () => {
		expect(inlineText('::error::x')).toBe('\\u003a:error::x');
		expect(inlineText('  \u00a0::notice::x')).toBe('  \u00a0\\u003a:notice::x');
		expect(inlineText('a ::error:: in the middle')).toBe('a ::error:: in the middle');
		expect(inlineText('x ##[error]y ##[warning]z')).toBe('x ##\\u005berror]y ##\\u005bwarning]z');
		expect(inlineText(':one colon')).toBe(':one colon');
	});

	it('is idempotent: escaping twice changes nothing more', () => {
		for (const value of [...CORPUS, HOSTILE]) {
			const once = inlineText(value);
			expect(inlineText(once)).toBe(once);
			expect(once).not.toMatch(/[\n\r\x1b]/);
			expect(isWorkflowCommand(once)).toBe(false);
		}
	});
});

describe('textLines', () => {
	it('splits at line feeds, keeps tabs, and guards the start of every line', () => {
		expect(
			textLines('one\r\n::error::two\n\t::warning::three\n\u00a0::notice::four\rfive')
		).toEqual([
			'one',
			'\\u003a:error::two',
			'\t\\u003a:warning::three',
			'\u00a0\\u003a:notice::four\\rfive',
		]);
		expect(textLines('a ##[error] b')).toEqual(['a ##\\u005berror] b']);
	});

	it('gives lines that are never workflow commands, indented or not', () => {
		for (const line of textLines(CORPUS.join('\n'))) {
			for (const indent of ['', '  ', '\t', '        + ']) {
				expect(isWorkflowCommand(`${indent}${line}`), line).toBe(false);
			}
		}
	});
});

describe('messageText', () => {
	it('keeps the line breaks of a message and makes each line safe', () => {
		expect(messageText('Error: bad\n  ::error::quoted\n\x1b]0;t\x07')).toBe(
			'Error: bad\n  \\u003a:error::quoted\n\\u001b]0;t\\u0007'
		);
	});
});

describe('guardLines', () => {
	it('keeps rendered lines (colour codes included) from being workflow commands', () => {
		expect(guardLines('ok\n::error::x\r  ::warning::y\r\n##[error]z\n')).toBe(
			'ok\n\\u003a:error::x\r  \\u003a:warning::y\r\n##\\u005berror]z\n'
		);
		const painted = '\x1b[1mbold\x1b[22m ::not at the start';
		expect(guardLines(painted)).toBe(painted);
		expect(guardLines('{\n  "a": "##[x"\n}')).toBe('{\n  "a": "##\\u005bx"\n}');
		expect(JSON.parse(guardLines('{"a": "##[x"}'))).toEqual({ a: '##[x' });
	});
});

describe('markdownText and codeText', () => {
	it('renders as the characters it is, on one line', () => {
		expect(markdownText('</details> @here | `x` *y* [l](u)\nnext')).toBe(
			'&#60;/details&#62; &#64;here &#124; &#96;x&#96; &#42;y&#42; &#91;l&#93;(u) next'
		);
		expect(markdownText('::error::x')).toBe('&#58;:error::x');
		expect(markdownText('\x1b]0;t\x07')).toBe('&#92;u001b&#93;0;t&#92;u0007');
		expect(codeText('a\nb ```')).toBe('a\\nb ```');
	});

	it('fences a block with more backticks than any run inside it', () => {
		expect(fenced(['a ````` b', '```'], 'diff')).toBe('``````diff\na ````` b\n```\n``````');
		expect(fenced(['plain'], 'text')).toBe('```text\nplain\n```');
	});
});

describe('jsonText', () => {
	it('parses to the exact value, and holds nothing a terminal or the Actions log obeys', () => {
		const value = { label: HOSTILE, tags: CORPUS, nested: { [HOSTILE]: HOSTILE } };
		for (const space of [undefined, 2]) {
			const text = jsonText(value, space);
			expect(JSON.parse(text)).toEqual(value);
			expect(textProblems(text, 'json', 'json')).toEqual([]);
		}
	});
});
