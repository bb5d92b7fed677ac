import pc from 'picocolors';

type Paint = (text: string) => string;

/** The few colours the text plan uses; identity functions when colour is off. */
export interface Style {
	readonly add: Paint;
	readonly change: Paint;
	readonly remove: Paint;
	readonly bold: Paint;
	readonly dim: Paint;
	readonly warn: Paint;
}

const identity: Paint = (text) => text;

export const plainStyle: Style = {
	add: identity,
	change: identity,
	remove: identity,
	bold: identity,
	dim: identity,
	warn: identity,
};

/** `createColors(true)` forces ANSI codes: the caller has already decided colour is wanted. */
export function createStyle(color: boolean): Style {
	if (!color) return plainStyle;
	const c = pc.createColors(true);
	return {
		add: c.green,
		change: c.yellow,
		remove: c.red,
		bold: c.bold,
		dim: c.dim,
		warn: (text) => c.bold(c.yellow(text)),
	};
}
