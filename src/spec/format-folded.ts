/**
 * A folded block scalar (`>`) is written with the line breaks its author chose: the printer
 * would join each paragraph into one line. Its source is kept, indented anew (a comment on its
 * header is printed by yaml, after the placeholder); one with an indentation indicator is left
 * to the printer.
 */
import { Scalar } from 'yaml';

export interface FoldedScalars {
	/** Puts a placeholder where the scalar is; false when this one is left to the printer. */
	hold(node: Scalar, text: string): boolean;
	/** The printed document with each placeholder replaced by its scalar's source. */
	restore(printed: string): string;
}

export function foldedScalars(indent: number): FoldedScalars {
	const held = new Map<string, string>();
	return {
		hold(node, text) {
			const range = node.range;
			if (!range) return false;
			const source = text.slice(range[0], range[1]).replace(/\n+$/, '');
			const [header = '', ...body] = source.split('\n');
			const indicator = /^(>[-+]?)\s*(?:#.*)?$/.exec(header.trim())?.[1];
			if (!indicator) return false;
			const token = `__folded_scalar_${held.size}__`;
			held.set(token, [indicator, ...outdent(body)].join('\n'));
			node.value = token;
			node.type = Scalar.PLAIN;
			return true;
		},
		restore(printed) {
			if (held.size === 0) return printed;
			return printed
				.split('\n')
				.map((line) => {
					const token = /__folded_scalar_\d+__/.exec(line)?.[0];
					const source = token ? held.get(token) : undefined;
					if (!token || source === undefined) return line;
					const pad = ' '.repeat(line.length - line.trimStart().length + indent);
					const [header, ...body] = source.split('\n');
					const lines = body.map((bodyLine) => (bodyLine === '' ? '' : pad + bodyLine));
					return [line.replace(token, header!), ...lines].join('\n');
				})
				.join('\n');
		},
	};
}

/** The body lines without the indentation they share. */
function outdent(lines: readonly string[]): string[] {
	const indents = lines
		.filter((line) => line.trim() !== '')
		.map((line) => line.length - line.trimStart().length);
	const common = indents.length > 0 ? Math.min(...indents) : 0;
	return lines.map((line) => (line.trim() === '' ? '' : line.slice(common)));
}
