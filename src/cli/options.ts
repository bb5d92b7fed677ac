/**
 * The one number parser of the CLI, for the flags of every group and command: one error style,
 * `--flag: expected <what> (got "<text>")`. The flags themselves are declared in their groups
 * (src/cli/flags) or by the one command that has them.
 */
import { UserError } from '../core/errors.js';

export interface NumberRule {
	readonly integer?: boolean;
	readonly min?: number;
	readonly max?: number;
	/** What the number counts, e.g. "seconds": "a number of seconds from 1 to 86400". */
	readonly unit?: string;
}

/** The one number parser of the CLI: a finite number (whole with `integer`) within the bounds. */
export function parseNumber(flag: string, text: string, rule: NumberRule = {}): number {
	const value = text.trim() === '' ? Number.NaN : Number(text);
	const { integer = false, min = -Infinity, max = Infinity } = rule;
	const ok =
		Number.isFinite(value) && (!integer || Number.isInteger(value)) && value >= min && value <= max;
	if (!ok) {
		const kind = `${integer ? 'an integer' : 'a number'}${rule.unit ? ` of ${rule.unit}` : ''}`;
		const range =
			max === Infinity
				? min === -Infinity
					? ''
					: ` of at least ${min}`
				: min === -Infinity
					? ` of at most ${max}`
					: ` from ${min} to ${max}`;
		throw new UserError(`${flag}: expected ${kind}${range} (got "${text}")`);
	}
	return value;
}

/** `parseNumber` for an optional flag: `{ [key]: value }`, or nothing when the flag is absent. */
export function optionalNumber<K extends string>(
	key: K,
	flag: string,
	text: string | undefined,
	rule: NumberRule
): Partial<Record<K, number>> {
	if (text === undefined) return {};
	return { [key]: parseNumber(flag, text, rule) } as Partial<Record<K, number>>;
}
