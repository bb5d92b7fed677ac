/** Line diffs of multi-line fields (task), shaped for people: changed lines with a little context. */
import { diffLines } from 'diff';
import { textLines } from '../core/untrusted/text.js';
import { plural, truncate } from './format.js';

export interface DiffLine {
	/** `…` marks an elision note, not a line of the text. */
	readonly sign: '+' | '-' | ' ' | '…';
	readonly text: string;
}

const CONTEXT = 2;
/** Characters of one line shown; a pasted blob must not eat the markdown budget. */
const MAX_LINE = 300;
/** Lines of a multi-line value shown before the rest is counted. */
export const MAX_LINES = 40;

/** The lines of a multi-line value, each safe on a line of its own (tabs kept), and shortened. */
export function splitLines(text: string): string[] {
	const lines = textLines(text);
	if (lines[lines.length - 1] === '') lines.pop();
	return lines.map((line) => truncate(line, MAX_LINE));
}

/** The first `max` lines, then a count of the rest. */
export function headLines(text: string, sign: '+' | ' ', max: number): DiffLine[] {
	const lines = splitLines(text);
	const shown: DiffLine[] = lines.slice(0, max).map((line) => ({ sign, text: line }));
	if (lines.length > max)
		shown.push({ sign: '…', text: `${plural(lines.length - max, 'more line')}` });
	return shown;
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** Unchanged runs longer than twice the context collapse into one `… N unchanged lines` note. */
export function lineDiff(before: string, after: string): DiffLine[] {
	const raw: DiffLine[] = [];
	for (const part of diffLines(withNewline(before), withNewline(after))) {
		const sign = part.added ? '+' : part.removed ? '-' : ' ';
		for (const text of splitLines(part.value)) raw.push({ sign, text });
	}
	const out: DiffLine[] = [];
	for (let i = 0; i < raw.length;) {
		if (raw[i]?.sign !== ' ') {
			out.push(raw[i] as DiffLine);
			i += 1;
			continue;
		}
		let end = i;
		while (raw[end]?.sign === ' ') end += 1;
		const keepHead = i === 0 ? 0 : CONTEXT;
		const keepTail = end === raw.length ? 0 : CONTEXT;
		if (end - i > keepHead + keepTail + 1) {
			out.push(...raw.slice(i, i + keepHead));
			out.push({ sign: '…', text: plural(end - i - keepHead - keepTail, 'unchanged line') });
			out.push(...raw.slice(end - keepTail, end));
		} else {
			out.push(...raw.slice(i, end));
		}
		i = end;
	}
	return capLines(out);
}

function capLines(lines: DiffLine[]): DiffLine[] {
	if (lines.length <= MAX_LINES) return lines;
	const rest = lines.length - MAX_LINES;
	return [...lines.slice(0, MAX_LINES), { sign: '…', text: plural(rest, 'more line') }];
}
