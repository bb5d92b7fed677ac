/** A tiny column aligner for terminal tables. Pure. */

export interface Cell {
	readonly text: string;
	/** Applied after padding, so escape codes never count towards a column's width. */
	readonly paint?: (text: string) => string;
}

export type Align = 'left' | 'right';

const widthOf = (text: string) => [...text].length;

/**
 * Pads every column to its widest cell, `gap` spaces apart. The last column is not padded on
 * the right, so lines carry no trailing spaces.
 */
export function alignColumns(
	rows: readonly (readonly (Cell | string)[])[],
	align: readonly Align[] = [],
	gap = 2
): string[] {
	const cells = rows.map((row) =>
		row.map((cell) => (typeof cell === 'string' ? { text: cell } : cell))
	);
	const columns = Math.max(0, ...cells.map((row) => row.length));
	const widths = Array.from({ length: columns }, (_, column) =>
		Math.max(0, ...cells.map((row) => widthOf(row[column]?.text ?? '')))
	);
	return cells.map((row) =>
		row
			.map((cell, column) => {
				const room = ' '.repeat(widths[column]! - widthOf(cell.text));
				const last = column === row.length - 1;
				const padded =
					align[column] === 'right' ? room + cell.text : last ? cell.text : cell.text + room;
				return cell.paint ? cell.paint(padded) : padded;
			})
			.join(' '.repeat(gap))
			.trimEnd()
	);
}
