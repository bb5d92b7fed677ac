import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { ExitCode } from '../../exit-code.js';
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
import { carryOut } from '../applying.js';
import { addHubOptions } from '../hub-options.js';
import { discoveryOption } from '../discovery-option.js';
import type { DiscoveryMode } from '../../discovery/types.js';
import { environmentOf, type Io } from '../io.js';
import {
	colorOption,
	parallelismOption,
	parseNumber,
	parseParallelism,
	useColor,
} from '../options.js';
import type { CommandHost } from '../run.js';
import { collect, specFileOption, type SpecFileFlags } from '../spec-option.js';
import { REFERENCE_CHECK_FLAG } from '../../operations/reference-check.js';

export interface ApplyFlags extends HubTarget, SpecFileFlags {
	readonly autoApprove?: boolean;
	readonly parallelism?: string;
	readonly allowRemovals?: string;
	readonly only?: string[];
	readonly color?: boolean;
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
		.option('--only <key>', 'apply only this entry key; repeatable', collect)
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
	const parallelism = parseParallelism(flags.parallelism);
	const allowRemovals = parseAllowRemovals(flags.allowRemovals);
	if (planfile) {
		if (flags.only?.length) {
			throw new UserError('a saved plan already fixes the keys: give PLANFILE or --only, not both');
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
		return applySaved(planfile, flags, io, { parallelism, allowRemovals });
	}
	const environment = environmentOf(io);
	const spec = await loadSpecOrFail(flags.file ?? [], environment);
	const connected = await connectHub(flags, environment);
	try {
		const planned = await plan(spec, connected, environment, {
			only: flags.only ?? [],
			parallelism,
			takeOver: flags.takeOver,
			discovery: flags.discovery,
			replace: flags.replace ?? [],
			destroy: flags.destroy === true,
			repoCheck: flags.repoCheck !== false,
			referenceCheck: flags.referenceCheck !== false,
		});
		const color = useColor(io, flags.color);
		io.out(renderPlan(planned, { color }));
		return await carryOut(planned, connected.hub, io, {
			autoApprove: flags.autoApprove === true,
			parallelism,
			allowRemovals,
			color,
		});
	} finally {
		await connected.close();
	}
}

async function applySaved(
	planfile: string,
	flags: ApplyFlags,
	io: Io,
	options: { parallelism: number; allowRemovals: number | undefined }
): Promise<number> {
	const environment = environmentOf(io);
	// -f names where the plan's literal env text is read from (see readSavedPlanToApply).
	const saved = await readSavedPlanToApply(planfile, flags.file ?? [], environment);
	const connected = await connectHub(savedPlanTarget(flags, saved), environment);
	try {
		const otherHub = otherHubReason(saved.target, connected.target);
		if (otherHub) {
			io.err(`The saved plan ${planfile} was made for another Hub: ${otherHub}.`);
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
			for (const reason of stale) io.err(`  - ${reason}`);
			io.err('Run plan again and review the new plan.');
			return ExitCode.Stale;
		}
		const color = useColor(io, flags.color);
		io.out(renderPlan(planned, { color }));
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

function parseAllowRemovals(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	return parseNumber('--allow-removals', value, { integer: true, min: 0 });
}
