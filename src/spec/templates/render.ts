/**
 * `render`: a spec file as its templates expand, in fmt's layout, under a comment that names the
 * vars it was expanded with and where each value came from. Pure.
 */
import { Document } from 'yaml';
import type { SpecVar } from '../../kinds/session/desired.js';
import { formatSpecText, PRINT_OPTIONS } from '../format.js';
import { yamlText } from '../../core/untrusted/yaml.js';
import { inlineText } from '../../core/untrusted/text.js';

export interface RenderInput {
	readonly file: string;
	/** The file's data with its templates expanded. */
	readonly expanded: unknown;
	readonly vars: ReadonlyMap<string, SpecVar>;
}

export function renderExpandedFile(input: RenderInput): string {
	const header = [
		`Expanded from ${input.file} by coder-sessions render: what plan and apply read.`,
		...varLines(input.vars),
	];
	const plain = yamlText(new Document(input.expanded), PRINT_OPTIONS);
	// fmt's layout, when the expanded text reads back as it is (a literal "${var." would not).
	const formatted = formatSpecText(plain, input.file);
	const body = formatted.ok ? formatted.text : plain;
	return `${header.map((line) => `# ${inlineText(line)}`.trimEnd()).join('\n')}\n${body}`;
}

function varLines(vars: ReadonlyMap<string, SpecVar>): string[] {
	if (vars.size === 0) return ['No vars.'];
	const names = [...vars.keys()].sort();
	return [
		'vars:',
		...names.map((name) => {
			const { value, origin, file } = vars.get(name)!;
			const from =
				origin === 'vars' ? 'default' : origin === 'var' ? '--var' : `--var-file ${file}`;
			return `  ${name} = ${JSON.stringify(value)} (${from})`;
		}),
	];
}
