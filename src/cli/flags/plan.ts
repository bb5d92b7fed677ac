/**
 * The plan group: how the Hub is read (--parallelism, --discovery) and what shapes a plan
 * (--take-over, --replace, --destroy, the repo and reference checks; --allow-removals to apply).
 */
import { Option, type Command } from 'commander';
import { DEFAULT_PARALLELISM } from '../../hub/parallelism.js';
import { DISCOVERY_MODES, type DiscoveryMode } from '../../hub/discovery/types.js';
import { parseNumber } from '../options.js';
import { collect } from './spec.js';

export { DEFAULT_PARALLELISM };

const MAX_PARALLELISM = 64;

const REFERENCE_CHECK_FLAG =
	'do not check that the workspaces, saved skills, skill buckets and agents the spec names exist on the Hub';
/** A saved plan is applied with the checks it was made with. */
const SAVED_SKIPS = ' (a PLANFILE saved by a plan given this flag skips the check without it)';

export interface ReadFlags {
	readonly parallelism?: string;
	readonly discovery?: DiscoveryMode;
}

export interface HubReads {
	readonly parallelism: number;
	/** Absent for the commands that find no stack (export, forget). */
	readonly discovery?: DiscoveryMode;
}

/**
 * `--parallelism` (`calls` says what runs at once) and, for the commands that find the stack's
 * sessions, `--discovery`.
 */
export function addReadFlags(
	command: Command,
	calls: 'Hub reads' | 'Hub calls',
	options: { readonly discovery: boolean }
): Command {
	command.addOption(parallelismOption(calls));
	return options.discovery ? command.addOption(discoveryOption()) : command;
}

export function parseReadFlags(flags: ReadFlags): HubReads {
	return {
		parallelism: parseParallelism(flags.parallelism),
		...(flags.discovery !== undefined ? { discovery: flags.discovery } : {}),
	};
}

export interface PlanFlags {
	readonly takeOver?: boolean;
	readonly replace?: string[];
	readonly destroy?: boolean;
	/** False with --no-repo-check. */
	readonly repoCheck?: boolean;
	/** False with --no-reference-check. */
	readonly referenceCheck?: boolean;
	readonly allowRemovals?: string;
}

export interface PlanChoices {
	readonly takeOver: boolean;
	readonly replace: readonly string[];
	readonly destroy: boolean;
	readonly repoCheck: boolean;
	readonly referenceCheck: boolean;
	/** `--allow-removals` (apply): must agree with the spec's `allowRemovals` when both are set. */
	readonly allowRemovals?: number;
}

/** What shapes a plan; `applying` adds `--allow-removals`, which only apply has. */
export function addPlanFlags(command: Command, options: { readonly applying: boolean }): Command {
	if (options.applying) {
		command.option(
			'--allow-removals <n>',
			'let a safety rail pass when the plan removes exactly N sessions'
		);
	}
	return command
		.option('--take-over', 'let adopt: take sessions over from other stacks')
		.option(
			'--replace <key>',
			"recreate this entry's session even when nothing forces it (a stuck agent); repeatable",
			collect
		)
		.option(
			'--destroy',
			'archive every active session of the stack (with --only: of those keys); applying needs --allow-removals N'
		)
		.option(
			'--no-repo-check',
			`do not check that the GitHub App reaches every pinned repo${options.applying ? SAVED_SKIPS : ''}`
		)
		.option(
			'--no-reference-check',
			`${REFERENCE_CHECK_FLAG}${options.applying ? SAVED_SKIPS : ''}`
		);
}

export function parsePlanFlags(flags: PlanFlags): PlanChoices {
	return {
		takeOver: flags.takeOver === true,
		replace: flags.replace ?? [],
		destroy: flags.destroy === true,
		repoCheck: flags.repoCheck !== false,
		referenceCheck: flags.referenceCheck !== false,
		...(flags.allowRemovals !== undefined
			? {
					allowRemovals: parseNumber('--allow-removals', flags.allowRemovals, {
						integer: true,
						min: 0,
					}),
				}
			: {}),
	};
}

/** `--parallelism <n>`: `calls` says what runs at once ("Hub reads" or "Hub calls"). */
export function parallelismOption(calls: 'Hub reads' | 'Hub calls'): Option {
	return new Option('--parallelism <n>', `${calls} at once (default: ${DEFAULT_PARALLELISM})`);
}

export function parseParallelism(value: string | undefined): number {
	if (value === undefined) return DEFAULT_PARALLELISM;
	return parseNumber('--parallelism', value, { integer: true, min: 1, max: MAX_PARALLELISM });
}

/** `--discovery auto|search|full`: how plan, apply, status and drift find the stack's sessions. */
function discoveryOption(): Option {
	return new Option(
		'--discovery <mode>',
		"how to find the stack's sessions: auto (search when it is verified, else read all), search (verified search or fail), full (read every session)"
	)
		.choices(DISCOVERY_MODES)
		.default('auto');
}
