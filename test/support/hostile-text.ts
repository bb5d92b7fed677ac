/**
 * A hostile corpus (text a terminal, the GitHub Actions log or a markdown renderer would obey)
 * and the checks every output fed with it must pass.
 */

/** One of each: what a terminal, the Actions log and a markdown renderer must not obey. */
export const CORPUS = [
	'esc\x1b[2J\x1b[H',
	'osc\x1b]0;pwned title\x07',
	'csi8\u009b31m',
	'bel\x07 nul\0 del\x7f',
	'cr\rover',
	'nl\n::error title=Hub::from a label',
	'crlf\r\n::notice::after CR LF',
	'lone-cr\r::warning::after CR',
	'indented\n   ::error::after spaces',
	'nbsp\n\u00a0::error::after a no-break space',
	'legacy ##[error]legacy command',
	'bidi \u202egnp.exe\u202c \u2066iso\u2069 \u200f',
	'sep\u2028::error::after a line separator',
	'fence ``` ~~~ ````',
	'</details></summary><script>alert(1)</script>',
	'@here @octocat | pipe * _ [link](https://example.com) <b>bold</b> &amp;',
];
export const HOSTILE = CORPUS.join(' ');

/** Where GitHub Actions reads a workflow command: `::` after leading white space (.NET's TrimStart). */
const WORKFLOW_COMMAND = /^[\s\u0085\u180e\u001c-\u001f]*::/u;
/** What must never reach a terminal or a rendered page raw (tabs and line feeds may). */
const RAW_CONTROL =
	/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export function commandProblems(text: string, what: string): string[] {
	// The runner splits lines at CR as well as LF.
	return text.split(/\r\n|\r|\n/).flatMap((line) => {
		const problems: string[] = [];
		if (WORKFLOW_COMMAND.test(line)) problems.push(`${what}: a workflow command: ${line}`);
		if (line.includes('##[')) problems.push(`${what}: a legacy workflow command: ${line}`);
		return problems;
	});
}

export function controlProblems(text: string, what: string): string[] {
	const match = RAW_CONTROL.exec(text);
	if (!match) return [];
	const at = match.index;
	return [
		`${what}: raw U+${match[0].codePointAt(0)!.toString(16).padStart(4, '0')} in ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 30))}`,
	];
}

const ALLOWED_TAGS = new Set(['details', 'summary', 'code', 'b', 'sub']);

/** What the renderer turns into an entity in a table cell: markup, a cell break, a mention. */
const RAW_MARKUP = /[&<>"'|`*_[\]\\~#@]/;
const ENTITY = /&#\d+;/g;
const TABLE_ROW = /^ {0,3}\|(.*)\|\s*$/;
const DELIMITER_ROW = /^ {0,3}\|(\s*:?-{3,}:?\s*\|)+\s*$/;

/**
 * A table row of escaped cells: as many cells as the table's header, and no cell holding markup
 * but entities. In such a row task text is inert, as inside a fence.
 */
function tableRowProblems(line: string, columns: number | undefined, what: string): string[] {
	const row = TABLE_ROW.exec(line);
	if (!row) return [`${what}: a table row broken across lines: ${line}`];
	const cells = row[1]!.split('|');
	const problems: string[] = [];
	if (columns !== undefined && cells.length !== columns)
		problems.push(
			`${what}: a table row of ${cells.length} cells under ${columns} columns: ${line}`
		);
	for (const cell of cells) {
		const raw = RAW_MARKUP.exec(cell.replace(ENTITY, ''));
		if (raw) problems.push(`${what}: a raw ${JSON.stringify(raw[0])} in a table cell: ${line}`);
	}
	return problems;
}

/**
 * CommonMark's fences and the HTML the renderer writes: task text only inside fences or escaped
 * table cells, every fence closed, every table row whole, `<details>` balanced, no tag but the
 * renderer's, no mention outside code.
 */
export function markdownProblems(markdown: string, what: string): string[] {
	const problems: string[] = [];
	let fence: { char: string; length: number } | undefined;
	let details = 0;
	/** The header's cell count while inside a table (after its delimiter row). */
	let table: number | undefined;
	const lines = markdown.split('\n');
	for (const [index, line] of lines.entries()) {
		if (fence) {
			const close = /^ {0,3}(`+|~+)\s*$/.exec(line);
			if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length)
				fence = undefined;
			continue;
		}
		const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
		if (open) {
			fence = { char: open[1]![0]!, length: open[1]!.length };
			continue;
		}
		if (table !== undefined && line.trim() === '') table = undefined;
		const header = table === undefined && DELIMITER_ROW.test(lines[index + 1] ?? '');
		if (header || table !== undefined) {
			const rowProblems = tableRowProblems(line, table, what);
			problems.push(...rowProblems);
			if (header) table = TABLE_ROW.exec(line)?.[1]!.split('|').length;
			// A delimiter row, or a row whose cells are all escaped, holds nothing to render.
			if (DELIMITER_ROW.test(line) || rowProblems.length === 0) continue;
		}
		if (/TASKTAIL|LIVETAIL/.test(line))
			problems.push(`${what}: task text outside a fence: ${line}`);
		if (/@\w/.test(line)) problems.push(`${what}: a mention outside code: ${line}`);
		for (const tag of line.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*>/g)) {
			const name = tag[2]!.toLowerCase();
			if (!ALLOWED_TAGS.has(name)) problems.push(`${what}: a <${name}> tag: ${line}`);
			if (name === 'details') details += tag[1] ? -1 : 1;
			if (details < 0) problems.push(`${what}: </details> closes more than was opened: ${line}`);
		}
	}
	if (fence) problems.push(`${what}: a fence left open`);
	if (details !== 0) problems.push(`${what}: ${details} <details> left open`);
	return problems;
}

export type Format = 'text' | 'markdown' | 'json';

/** Every problem of one output of a renderer or a command in `format` (stderr is text). */
export function textProblems(text: string, format: Format, what: string): string[] {
	const problems = [...commandProblems(text, what), ...controlProblems(text, what)];
	if (format === 'json') {
		try {
			JSON.parse(text);
		} catch (error) {
			problems.push(`${what}: not JSON: ${String(error)}`);
		}
	}
	if (format === 'markdown') problems.push(...markdownProblems(text, what));
	return problems;
}
