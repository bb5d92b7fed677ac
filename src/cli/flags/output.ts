/** The output group: --format (among the command's formats) and --no-color. */
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../render/formats.js';
import { obeysControlSequences, type Io } from '../io.js';

/** The plan formats, as many as there are renderers. */
export const PLAN_FORMATS: readonly OutputFormat[] = OUTPUT_FORMATS;
/** Commands with a text view and a JSON document (drift, status, validate). */
export const REPORT_FORMATS = ['text', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** apply: its text report, a JSON document at the end, or JSON lines as it goes. */
export const APPLY_FORMATS = ['text', 'json', 'jsonl'] as const;
export type ApplyFormat = (typeof APPLY_FORMATS)[number];

export interface OutputFlags {
	readonly format?: string;
	/** False with --no-color. */
	readonly color?: boolean;
}

export interface Output<F extends string> {
	readonly format: F;
	/** ANSI colour in what the command prints. */
	readonly color: boolean;
}

/** What `--no-color` says it turns off; false for the commands that accept it only for symmetry. */
export type ColorUse = 'text output' | 'output' | false;

/** `--format` when the command has `formats`, then `--no-color`. */
export function addOutputFlags(
	command: Command,
	group: { readonly formats?: readonly string[]; readonly color: ColorUse }
): Command {
	if (group.formats) command.addOption(formatOption(group.formats));
	return command.addOption(colorOption(group.color));
}

export function parseOutputFlags<F extends string>(
	flags: OutputFlags,
	io: Pick<Io, 'isTTY' | 'env'>,
	formats: readonly F[]
): Output<F> {
	return { format: parseFormat(flags.format, formats), color: useColor(io, flags.color) };
}

/** `--format <format>`, one of `formats`, text by default. */
export function formatOption(formats: readonly string[]): Option {
	return new Option('--format <format>', 'output format').choices(formats).default('text');
}

/** `--no-color`; `printsColor` false for the commands that accept it only for symmetry. */
export function colorOption(printsColor: ColorUse): Option {
	const what = printsColor
		? `no colour in ${printsColor} (also: NO_COLOR)`
		: 'accepted for symmetry; prints no colour';
	return new Option('--no-color', what);
}

/** One of `formats`; commander checks the choices, this checks a value that bypassed it. */
export function parseFormat<F extends string>(value: string | undefined, formats: readonly F[]): F {
	const format = (value ?? 'text') as F;
	if (!formats.includes(format)) {
		throw new UserError(`--format: expected one of ${formats.join(', ')} (got "${value}")`);
	}
	return format;
}

/**
 * Colour on a terminal (not a dumb one), or wherever FORCE_COLOR is set and not "0" (or "false") (CI logs that render ANSI);
 * never with NO_COLOR or --no-color, which win over FORCE_COLOR.
 */
export function useColor(io: Pick<Io, 'isTTY' | 'env'>, flag: boolean | undefined): boolean {
	if (flag === false || io.env.NO_COLOR) return false;
	const force = io.env.FORCE_COLOR;
	return obeysControlSequences(io) || (force !== undefined && force !== '0' && force !== 'false');
}
