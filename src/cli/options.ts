/**
 * The options several commands share, each declared once with its one default and parsed with
 * one error style: `--flag: expected <what> (got "<text>")`.
 */
import { Option } from 'commander';
import { UserError } from '../core/errors.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import { RENDERERS, type OutputFormat } from '../render/index.js';
import type { Io } from './io.js';

export { DEFAULT_PARALLELISM };

/** The plan formats, as many as there are renderers. */
export const PLAN_FORMATS = Object.keys(RENDERERS) as OutputFormat[];
/** Commands with a text view and a JSON document (drift, status, validate). */
export const REPORT_FORMATS = ['text', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const MAX_PARALLELISM = 64;

/** `--parallelism <n>`: `calls` says what runs at once ("Hub reads" or "Hub calls"). */
export function parallelismOption(calls: 'Hub reads' | 'Hub calls'): Option {
	return new Option('--parallelism <n>', `${calls} at once (default: ${DEFAULT_PARALLELISM})`);
}

export function parseParallelism(value: string | undefined): number {
	if (value === undefined) return DEFAULT_PARALLELISM;
	return parseNumber('--parallelism', value, { integer: true, min: 1, max: MAX_PARALLELISM });
}

/** `--no-color`; `printsColor` false for the commands that accept it only for symmetry. */
export function colorOption(printsColor: 'text output' | 'output' | false): Option {
	const what = printsColor
		? `no colour in ${printsColor} (also: NO_COLOR)`
		: 'accepted for symmetry; prints no colour';
	return new Option('--no-color', what);
}

/**
 * Colour on a terminal, or wherever FORCE_COLOR is set and not "0" (or "false") (CI logs that render ANSI);
 * never with NO_COLOR or --no-color, which win over FORCE_COLOR.
 */
export function useColor(io: Pick<Io, 'isTTY' | 'env'>, flag: boolean | undefined): boolean {
	if (flag === false || io.env.NO_COLOR) return false;
	const force = io.env.FORCE_COLOR;
	return io.isTTY || (force !== undefined && force !== '0' && force !== 'false');
}

/** `--format <format>`, one of `formats`, text by default. */
export function formatOption(formats: readonly string[]): Option {
	return new Option('--format <format>', 'output format').choices(formats).default('text');
}

/** A plan format; commander checks the choices, this checks a value that bypassed it. */
export function parsePlanFormat(value: string | undefined): OutputFormat {
	const format = (value ?? 'text') as OutputFormat;
	if (!PLAN_FORMATS.includes(format)) {
		throw new UserError(`--format: expected one of ${PLAN_FORMATS.join(', ')} (got "${value}")`);
	}
	return format;
}

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
