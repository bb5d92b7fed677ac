import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, redact, registerSecrets } from '../../../src/core/secrets/redact.js';

afterEach(clearSecrets);

/** Every character as `\uXXXX`, the way an encoder that escapes all of them writes a string. */
const uEscaped = (text: string, upper = false): string =>
	[...Array(text.length).keys()]
		.map((i) => {
			const hex = text.charCodeAt(i).toString(16).padStart(4, '0');
			return `\\u${upper ? hex.toUpperCase() : hex}`;
		})
		.join('');

/** Every byte as `%XX`, as a gateway that percent-encodes the whole body writes it. */
const percentAll = (text: string, upper = false): string =>
	[...Buffer.from(text, 'utf8')]
		.map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
		.map((code) => (upper ? code.toUpperCase() : code))
		.join('');

const json = (value: unknown): string => JSON.stringify(value);

describe('redact', () => {
	it('replaces a value of 4+ characters wherever it occurs, also JSON-escaped', () => {
		registerSecrets(['s3cr3t', 'quo"te\\']);
		expect(redact('token=s3cr3t; again s3cr3t')).toBe('token=[redacted]; again [redacted]');
		expect(redact(JSON.stringify({ env: { A: 'quo"te\\' } }))).toBe('{"env":{"A":"[redacted]"}}');
		// JSON inside a JSON string (an error body quoted in another error body).
		const nested = JSON.stringify({ message: JSON.stringify({ A: 'quo"te\\' }) });
		expect(redact(nested)).not.toContain('quo');
	});

	it('replaces a short value only as a whole JSON string or quoted token', () => {
		registerSecrets(['a', '123']);
		expect(redact('{"env":{"X":"a","Y":"123"}}')).toBe(
			'{"env":{"X":"[redacted]","Y":"[redacted]"}}'
		);
		expect(redact("value '123' rejected")).toBe("value '[redacted]' rejected");
		expect(redact('a plan of 1234 sessions and 123 keys')).toBe(
			'a plan of 1234 sessions and 123 keys'
		);
	});

	it('replaces the longest value first and ignores empty and blank values', () => {
		registerSecrets(['', '   ', 'abcd', 'abcdefgh']);
		expect(redact('abcdefgh abcd')).toBe('[redacted] [redacted]');
		expect(redact('nothing here    at all')).toBe('nothing here    at all');
		// Not even as a whole quoted string: an empty or blank field is no secret.
		for (const text of ['{"task":"","note":"   "}', "note '   '"]) expect(redact(text)).toBe(text);
		registerSecrets(['\t\n ']);
		expect(redact('{"note":"\\t\\n "}')).toBe('{"note":"\\t\\n "}');
	});

	it('finds the JSON escapes of every character that has one', () => {
		const value = 'a/b\rc\bd\fe"f\\g\nh\ti';
		registerSecrets([value]);
		// JSON.stringify leaves `/` alone; PHP's json_encode, for one, writes `\/`.
		for (const form of [json(value), json(value).replace(/\//g, '\\/'), json(json(value))]) {
			const out = redact(`rejected: ${form} (end)`);
			expect(out.replace('[redacted]', ''), form).toMatch(/^rejected: [\\"]* \(end\)$/);
		}
	});

	it('takes a + for a space only, as form encoding writes it', () => {
		registerSecrets(['tok-Secret value']);
		expect(redact('tok-Secret+value')).toBe('[redacted]');
		expect(redact('tok+Secret value')).toBe('tok+Secret value');
	});

	it('finds every value in every encoding a gateway echoes a request in', () => {
		const values = [
			'tok-Secret-Value-9f2',
			'pä$$ "wörd"\\ 😀/x',
			'line\nbreak\ttab',
			'a Secret-Value with spaces',
		];
		registerSecrets(values);
		for (const value of values) {
			const body = json({ env: { A: value } });
			const forms: Record<string, string> = {
				'as is': value,
				'JSON-escaped once': json(value),
				'JSON-escaped twice': json(body),
				'JSON-escaped three times': json(json(body)),
				'\\u-escaped': uEscaped(value),
				'\\u-escaped, upper case': uEscaped(value, true),
				'\\u-escaped, then JSON-escaped': json(uEscaped(value)),
				'\\u-escaped where not ASCII only': json(value).replace(/[^\x20-\x7e]/gu, (char) =>
					uEscaped(char)
				),
				'percent-encoded': encodeURIComponent(body),
				'percent-encoded, every byte': percentAll(value),
				'percent-encoded, upper case': percentAll(value, true),
				'form-encoded': new URLSearchParams({ body }).toString(),
				'spaces as +, nothing else escaped': value.replace(/ /g, '+'),
			};
			for (const [name, form] of Object.entries(forms)) {
				const out = redact(`rejected: ${form} (end)`);
				expect(out, `${name} of ${JSON.stringify(value)}: ${out}`).toContain('[redacted]');
				expect(out, name).toMatch(/^rejected: /);
				expect(out, name).toMatch(/ \(end\)$/);
				for (const part of ['Secret-Value', 'wörd', 'break'])
					expect(out, `${name}: ${out}`).not.toContain(part);
			}
		}
	});

	it('finds a value in base64 and base64url at every alignment', () => {
		const value = 'tok-Secret-Value-9f2?>~';
		registerSecrets([value]);
		for (const prefix of [
			'',
			'x',
			'xy',
			'{"env":{"A":"',
			'ab',
			'a text longer than the value, before it: ',
		]) {
			const bytes = Buffer.from(`${prefix}${value} and more`, 'utf8');
			for (const encoding of ['base64', 'base64url'] as const) {
				const encoded = bytes.toString(encoding);
				const out = redact(`echo ${encoded} end`);
				expect(out, `${encoding} after ${JSON.stringify(prefix)}`).toContain('[redacted]');
				// The value's characters went; at most a few on either side of them are left.
				expect(out.length).toBeLessThan(`echo ${encoded} end`.length);
				// Also where the echo begins with it.
				if (prefix === '') expect(redact(encoded)).toMatch(/^\[redacted\]/);
				// What is left decodes to no more than a few characters of the value.
				const left = Buffer.from(out.replace(/^echo | end$/g, ''), encoding).toString('latin1');
				expect(left).not.toContain('Secret');
			}
		}
	});

	it('finds a value of 7 bytes in base64 at every alignment', () => {
		registerSecrets(['Sec7ret']);
		for (const prefix of ['', 'x', 'xy']) {
			const encoded = Buffer.from(`${prefix}Sec7ret and more`).toString('base64');
			const out = redact(encoded);
			expect(out, `after ${JSON.stringify(prefix)}`).toContain('[redacted]');
		}
	});

	it('finds a short value in a JSON string however it was encoded', () => {
		registerSecrets(['ab']);
		const body = json({ env: { S: 'ab' } });
		const forms = [
			body,
			json(body),
			json(json(body)),
			uEscaped(body),
			uEscaped(body, true),
			json(uEscaped(body)),
			encodeURIComponent(body),
			percentAll(body, true),
			"env S='ab'",
		];
		for (const form of forms) {
			const out = redact(form);
			expect(out, form).toContain('[redacted]');
			expect(out, form).not.toMatch(/ab|\\u0061\\u0062|%61%62/i);
		}
		// Not as part of other words, in any encoding.
		for (const text of [
			'table',
			json({ word: 'abc' }),
			uEscaped('"abc"'),
			encodeURIComponent('"abc"'),
			json({ word: 'cab' }),
			uEscaped('"cab"'),
			encodeURIComponent('"cab"'),
		])
			expect(redact(text)).toBe(text);
	});

	it('replaces overlapping and touching occurrences whole, whatever the registration order', () => {
		registerSecrets(['abcabc', 'cab-x']);
		expect(redact('abcabcabc')).toBe('[redacted]');
		expect(redact('xx abcabcab-x yy')).toBe('xx [redacted] yy');
		clearSecrets();
		registerSecrets(['1234']);
		registerSecrets(['123456']);
		expect(redact('id 123456 and 1234')).toBe('id [redacted] and [redacted]');
		// One value inside another, starting later and ending earlier: nothing of either shows.
		registerSecrets(['supersecretvalue', 'secret']);
		expect(redact('a supersecretvalue b')).toBe('a [redacted] b');
		// Two values side by side: one mask, which tells nothing of where one ends.
		registerSecrets(['left-value', 'right-value']);
		expect(redact('(left-valueright-value)')).toBe('([redacted])');
	});

	it('redacts a long text with many values quickly enough to pass every line through it', () => {
		registerSecrets(Array.from({ length: 20 }, (_, i) => `secret-value-number-${i}-xyz`));
		const line = `{"task": "line \\"${'x'.repeat(60)}\\" 100%", "n": 12} `;
		const text = line.repeat(20_000);
		expect(text.length).toBeGreaterThan(1_000_000);
		expect(redact(text)).toBe(text);
	});
});
