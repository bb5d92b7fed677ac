/**
 * Every secret this process knows (the env values it resolved, the API key and the Authorization
 * header made of it), and the one redactor every printed or saved line passes through.
 *
 * A Hub, or a gateway before it, may echo a request in an error in more than one encoding. For
 * every registered value the redactor finds, and replaces with `[redacted]`:
 *
 * - the value as is, JSON-escaped once (`\"`, `\\`, `\n`, `\/`) and twice (`\\\"`), and
 *   `\u`-escaped with hex digits of either case (`\u0074`, `\u00E9`, surrogate pairs for
 *   characters beyond the BMP, once or twice escaped); these may mix within one occurrence, as
 *   an encoder that escapes only some characters writes them;
 * - percent-encoded (`%74`, `%C3%A9`, either case; a space also as `+`);
 * - base64 and base64url, at each of the three alignments the value can have inside a longer
 *   base64 text: the characters that depend on the value alone. They must be at least
 *   MIN_BASE64 characters, which values of 7 bytes or more (5 or more where they sit in a JSON
 *   string, quotes included, as in an encoded request body) always give; a shorter value has too
 *   few characters of its own to tell from other base64 text, and is not looked for in it.
 *
 * A value of SHORT_VALUE characters or more is replaced wherever it occurs in any of these forms.
 * A shorter one is replaced only where it is a whole quoted string in one of the textual forms
 * (`"ab"`, `'ab'`, `\"ab\"`, `\u0022ab\u0022`, `%22ab%22`), so that ordinary words and numbers in
 * messages are left alone. Every occurrence is found in the text as it was given, and the union
 * of what was found is replaced: no replacement can break up another value's occurrence, whatever
 * order values were registered in.
 */
const MASK = '[redacted]';
const SHORT_VALUE = 4;
const MIN_BASE64 = 8;

interface Finder {
	/** Cheap test: can the value occur in this text at all? */
	readonly maybeIn: (text: string, plain: boolean) => boolean;
	readonly pattern: RegExp;
}

const values = new Set<string>();
let finders: readonly Finder[] = [];
let base64Forms: readonly string[] = [];

/** Registers secrets: from now on no output of this process shows them. Blank values are not secrets. */
export function registerSecrets(secrets: Iterable<string>): void {
	let added = false;
	for (const secret of secrets) {
		if (secret.trim() === '' || values.has(secret)) continue;
		values.add(secret);
		added = true;
	}
	if (added) build();
}

/**
 * Whether a string in `value` (a key or an item of a list or an object too) holds a registered
 * secret in any form `redact` finds, as a whole quoted string included. Numbers and booleans are
 * no echo, however short a secret.
 */
export function holdsSecret(value: unknown): boolean {
	return stringsIn(value).some((text) => {
		const quoted = JSON.stringify(text);
		return redact(quoted) !== quoted;
	});
}

function stringsIn(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(stringsIn);
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item)]);
	return [];
}

/**
 * A backslash or a percent sign starts every escaped form of a character: without one in the
 * text, a value can only occur as is (or, holding a space, with `+` for it).
 */
const ENCODED = /[\\%]/;

export function redact(text: string): string {
	if (values.size === 0) return text;
	const plain = !ENCODED.test(text);
	const spans: [number, number][] = [];
	for (const finder of finders) {
		if (!finder.maybeIn(text, plain)) continue;
		const pattern = finder.pattern;
		pattern.lastIndex = 0;
		for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
			spans.push([match.index, match.index + match[0].length]);
			// Overlapping occurrences (a value that repeats itself) are found too.
			pattern.lastIndex = match.index + 1;
		}
	}
	for (const form of base64Forms) {
		for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
			spans.push([at, at + form.length]);
		}
	}
	return spans.length === 0 ? text : masked(text, spans);
}

/** `text` with the union of `spans` replaced, each run of overlapping or touching spans once. */
function masked(text: string, spans: [number, number][]): string {
	spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let out = '';
	let from = 0;
	let [start, end] = spans[0]!;
	for (const [nextStart, nextEnd] of spans.slice(1)) {
		if (nextStart <= end) {
			end = Math.max(end, nextEnd);
			continue;
		}
		out += text.slice(from, start) + MASK;
		from = end;
		[start, end] = [nextStart, nextEnd];
	}
	return out + text.slice(from, start) + MASK + text.slice(end);
}

function build(): void {
	finders = [...values].map(finderOf);
	const forms = new Set<string>();
	for (const value of values) {
		for (const bytes of base64Sources(value))
			for (const form of base64Cores(bytes)) forms.add(form);
	}
	base64Forms = [...forms];
}

/** A backslash as an encoded text may hold it: itself, or percent-encoded. */
const BACKSLASH = '(?:\\\\|%5[cC])';
/** A quote as a JSON string (escaped any number of times, or percent-encoded) begins or ends. */
const QUOTE_BEFORE = `(?<=["']|%2[27]|[uU]002[27])`;
const QUOTE_AFTER = `(?=${BACKSLASH}*(?:["']|%2[27])|${BACKSLASH}+[uU]002[27])`;

function finderOf(value: string): Finder {
	const body = [...value].map(charPattern).join('');
	const spaced = value.includes(' ');
	const maybeIn = (text: string, plain: boolean): boolean =>
		!plain || text.includes(value) || (spaced && text.includes('+'));
	if (value.length >= SHORT_VALUE) return { maybeIn, pattern: new RegExp(body, 'g') };
	return { maybeIn, pattern: new RegExp(`${QUOTE_BEFORE}${body}${QUOTE_AFTER}`, 'g') };
}

/** JSON's two-character escapes, by the character they stand for (a backslash: see charPattern). */
const JSON_SHORT: Readonly<Record<string, string>> = {
	'"': '"',
	'/': '/',
	'\n': 'n',
	'\r': 'r',
	'\t': 't',
	'\b': 'b',
	'\f': 'f',
};

/** Every way one character of a value may be written in an echoed request. */
function charPattern(char: string): string {
	// A backslash, escaped any number of times: one or more of them.
	const forms = [char === '\\' ? `${BACKSLASH}+` : escapeRegExp(char)];
	const short = JSON_SHORT[char];
	if (short !== undefined)
		forms.push(`${BACKSLASH}+(?:${escapeRegExp(short)}|${percentPattern(short)})`);
	// \uXXXX per UTF-16 unit: one escape, or a surrogate pair beyond the BMP.
	const units = [...Array(char.length).keys()].map((i) => char.charCodeAt(i));
	forms.push(units.map((unit) => `${BACKSLASH}+[uU]${hexPattern(unit, 4)}`).join(''));
	// Percent-encoding of the UTF-8 bytes; a space also as `+` (forms).
	forms.push(percentPattern(char));
	if (char === ' ') forms.push('\\+');
	return `(?:${forms.join('|')})`;
}

function percentPattern(text: string): string {
	return [...Buffer.from(text, 'utf8')].map((byte) => `%${hexPattern(byte, 2)}`).join('');
}

/** `00e9` matching either case: `00[eE]9`. */
function hexPattern(code: number, digits: number): string {
	return [...code.toString(16).padStart(digits, '0')]
		.map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
		.join('');
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The byte strings whose base64 may be echoed: the value, and the value as a JSON string. */
function base64Sources(value: string): Buffer[] {
	const raw = Buffer.from(value, 'utf8');
	const quoted = Buffer.from(JSON.stringify(value), 'utf8');
	return [raw, quoted];
}

/**
 * The base64 and base64url characters that depend on `bytes` alone, for each of the three
 * offsets (mod 3) the bytes can start at in a longer text: character i encodes bits
 * [6i, 6i + 6) of the stream, so it is the value's own when those bits lie within it.
 */
function base64Cores(bytes: Buffer): string[] {
	const cores: string[] = [];
	for (const offset of [0, 1, 2]) {
		const stream = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]);
		const encoded = stream.toString('base64');
		const first = Math.ceil((offset * 8) / 6);
		const end = Math.floor(((offset + bytes.length) * 8) / 6);
		const core = encoded.slice(first, end);
		if (core.length < MIN_BASE64) continue;
		cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return cores;
}

/** Forgets every registered value (for tests). */
export function clearSecrets(): void {
	values.clear();
	finders = [];
	base64Forms = [];
}
