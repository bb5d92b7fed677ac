import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-code.js';
import { connectHub, type HubTarget } from '../../operations/connect.js';
import { plan } from '../../operations/plan.js';
import { loadSpecOrFail } from '../../operations/planning.js';
import { renderPlan } from '../../operations/render-plan.js';
import {
	otherHubReason,
	readSavedPlanToApply,
	savedPlanTarget,
} from '../../operations/saved-plan-file.js';
import { replanSaved } from '../../operations/saved-plan.js';
import { APPLY_FORMATS, applyOutput, carryOut, type ApplyFormat } from '../applying.js';
import { addHubOptions } from '../hub-options.js';
import { discoveryOption } from '../discovery-option.js';
import type { DiscoveryMode } from '../../hub/discovery/types.js';
import { environmentOf, type Io } from '../io.js';
import {
	colorOption,
	formatOption,
	parallelismOption,
	parseNumber,
	parseParallelism,
	useColor,
} from '../options.js';
import type { CommandHost } from '../run.js';
import {
	collect,
	onlyOption,
	selectOption,
	specFileOption,
	type ScopeFlags,
	type SpecFileFlags,
} from '../spec-option.js';
import { REFERENCE_CHECK_FLAG } from '../../operations/reference-check.js';
import { inlineText } from '../../core/untrusted/index.js';
import { userErrorText } from '../../render/user-error.js';

export interface ApplyFlags extends HubTarget, SpecFileFlags, ScopeFlags {
	readonly autoApprove?: boolean;
	readonly parallelism?: string;
	readonly allowRemovals?: string;
	readonly color?: boolean;
	readonly format?: string;
	readonly takeOver?: boolean;
	readonly discovery?: DiscoveryMode;
	readonly replace?: string[];
	readonly destroy?: boolean;
	/** False with --no-repo-check. */
	readonly repoCheck?: boolean;
	/** False with --no-reference-check. */
	readonly referenceCheck?: boolean;
}

export function registerApply(program: Command, host: CommandHost): void {
	const command = program
		.command('apply')
		.argument(
			'[planfile]',
			'a plan saved by `plan --out`; applied without a prompt, refused if stale'
		)
		.description('Change the Hub to match the spec: plan, confirm, apply, verify')
		.addOption(specFileOption())
		.option('--auto-approve', 'apply without asking for `yes` (needed without a terminal)')
		.addOption(parallelismOption('Hub calls'))
		.addOption(discoveryOption())
		.option(
			'--allow-removals <n>',
			'let a safety rail pass when the plan removes exactly N sessions'
		)
		.addOption(onlyOption('apply'))
		.addOption(selectOption('apply'))
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
		.addOption(formatOption([...APPLY_FORMATS]))
		.addOption(colorOption('output'))
		.option('--no-repo-check', 'do not check that the GitHub App reaches every pinned repo')
		.option('--no-reference-check', REFERENCE_CHECK_FLAG);
	addHubOptions(command).action(async (planfile: string | undefined, flags: ApplyFlags) => {
		await host.run((io) => runApply(planfile, flags, io));
	});
}

export async function runApply(
	planfile: string | undefined,
	flags: ApplyFlags,
	io: Io
): Promise<number> {
	const format = parseApplyFormat(flags.format);
	if (format === 'text') return applyWith(planfile, flags, io, format);
	try {
		return await applyWith(planfile, flags, io, format);
	} catch (error) {
		// The document still says how the run ended; the message goes to stderr as always.
		if (!(error instanceof UserError)) throw error;
		applyOutput(io, format).finish({
			stack: null,
			status: error.exitCode === ExitCode.Stale ? 'stale' : 'error',
			exitCode: error.exitCode,
			actions: [],
			reasons: [userErrorText(error)],
		});
		throw error;
	}
}

async function applyWith(
	planfile: string | undefined,
	flags: ApplyFlags,
	io: Io,
	format: ApplyFormat
): Promise<number> {
	const parallelism = parseParallelism(flags.parallelism);
	const allowRemovals = parseAllowRemovals(flags.allowRemovals);
	if (planfile) {
		if (flags.only?.length || flags.select?.length) {
			throw new UserError(
				'a saved plan already fixes the keys: give PLANFILE or --only/--select, not both'
			);
		}
		if (flags.destroy) {
			throw new UserError(
				'a saved plan already says whether it destroys: give PLANFILE or --destroy, not both'
			);
		}
		if (flags.replace?.length) {
			throw new UserError(
				'a saved plan already fixes its replaces: give PLANFILE or --replace, not both'
			);
		}
		return applySaved(planfile, flags, io, { parallelism, allowRemovals, format });
	}
	const environment = environmentOf(io);
	const spec = await loadSpecOrFail(flags.file ?? [], environment);
	const connected = await connectHub(flags, environment);
	try {
		const planned = await plan(spec, connected, environment, {
			only: flags.only ?? [],
			select: flags.select ?? [],
			parallelism,
			takeOver: flags.takeOver,
			discovery: flags.discovery,
			replace: flags.replace ?? [],
			destroy: flags.destroy === true,
			repoCheck: flags.repoCheck !== false,
			referenceCheck: flags.referenceCheck !== false,
		});
		const color = useColor(io, flags.color);
		applyOutput(io, format).say(renderPlan(planned, { color }));
		return await carryOut(planned, connected.hub, io, {
			autoApprove: flags.autoApprove === true,
			parallelism,
			allowRemovals,
			color,
			format,
		});
	} finally {
		await connected.close();
	}
}

async function applySaved(
	planfile: string,
	flags: ApplyFlags,
	io: Io,
	options: { parallelism: number; allowRemovals: number | undefined; format: ApplyFormat }
): Promise<number> {
	const output = applyOutput(io, options.format);
	const environment = environmentOf(io);
	// -f names where the plan's literal env text is read from (see readSavedPlanToApply).
	const saved = await readSavedPlanToApply(planfile, flags.file ?? [], environment);
	const connected = await connectHub(savedPlanTarget(flags, saved), environment);
	try {
		const otherHub = otherHubReason(saved.target, connected.target);
		if (otherHub) {
			io.err(`The saved plan ${planfile} was made for another Hub: ${inlineText(otherHub)}.`);
			io.err('Run plan against this Hub and review the new plan.');
			return ExitCode.Stale;
		}
		const { stale, planned } = await replanSaved(saved, connected, environment, {
			parallelism: options.parallelism,
			// A saved plan was reviewed with or without --take-over; apply cannot widen it.
			takeOver: saved.plan.takeOver === true,
			discovery: flags.discovery,
			repoCheck: flags.repoCheck !== false,
			referenceCheck: flags.referenceCheck !== false,
		});
		if (stale.length > 0) {
			io.err(
				`The saved plan ${planfile} is stale: the Hub (or the environment it reads) changed since it was made.`
			);
			for (const reason of stale) io.err(`  - ${inlineText(reason)}`);
			io.err('Run plan again and review the new plan.');
			return output.finish({
				stack: saved.plan.stack,
				status: 'stale',
				exitCode: ExitCode.Stale,
				actions: saved.plan.actions,
				reasons: stale,
			});
		}
		const color = useColor(io, flags.color);
		output.say(renderPlan(planned, { color }));
		return await carryOut(planned, connected.hub, io, {
			...options,
			autoApprove: true,
			color,
			saved,
		});
	} finally {
		await connected.close();
	}
}

function parseApplyFormat(value: string | undefined): ApplyFormat {
	const format = (value ?? 'text') as ApplyFormat;
	if (!APPLY_FORMATS.includes(format)) {
		throw new UserError(`--format: expected one of ${APPLY_FORMATS.join(', ')} (got "${value}")`);
	}
	return format;
}

function parseAllowRemovals(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	return parseNumber('--allow-removals', value, { integer: true, min: 0 });
}
