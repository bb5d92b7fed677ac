/** The parts of `drift --help` that name fields, from the field table. */
import { COMPARED_LIVE_FIELDS, NOT_ECHOED_FIELDS } from '../kinds/session/fields/index.js';

const list = (names: readonly string[]) =>
	names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** Words wrapped to `width`, every line after the first indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line !== '' && indent + line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else line = line === '' ? word : `${line} ${word}`;
	}
	lines.push(line);
	return lines.join(`\n${' '.repeat(indent)}`);
}

/** What "changed outside coder-sessions" covers, wrapped for the help's second column. */
export function outsideChangesHelp(indent: number, width = 96): string {
	return wrap(
		'the live value differs from what was last applied (someone edited the session on the Hub);' +
			` for the fields the Hub echoes (${COMPARED_LIVE_FIELDS.join(', ')}) and the spec's metadata` +
			` keys. Not echoed, so not seen: ${list(NOT_ECHOED_FIELDS)}.`,
		indent,
		width
	);
}
