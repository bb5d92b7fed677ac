import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { readOnly } from '../../hub-client/client.js';
import { staleReasons } from '../../plan/staleness.js';
import { carryOut } from '../carry-out.js';
import { ExitCode } from '../../exit-code.js';
import { addHubOptions, openHub, type OpenHub } from '../hub-options.js';
import {
	colorOption,
	parallelismOption,
	parseNumber,
	parseParallelism,
	useColor,
} from '../options.js';
import { processIo, type Io } from '../io.js';
import { loadSpecOrFail, planAgainstHub, render } from '../planning.js';
import { checkPinnedRepos, type RepoCheckOptions } from '../repo-check.js';
import { exitWith, runCommand } from '../run.js';
import { readSavedPlanToApply, savedPlanHubFlags } from '../saved-plan-file.js';
import { collect, specFileOption, type SpecFileFlags } from '../spec-option.js';
import type { HubFlags } from '../../hub-client/connection.js';

export interface ApplyFlags extends HubFlags, SpecFileFlags {
	readonly autoApprove?: boolean;
	readonly parallelism?: string;
	readonly allowRemovals?: string;
	readonly only?: string[];
	readonly color?: boolean;
	readonly takeOver?: boolean;
	/** False with --no-repo-check. */
	readonly repoCheck?: boolean;
}

export function registerApply(program: Command): void {
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
		.option(
			'--allow-removals <n>',
			'let a safety rail pass when the plan removes exactly N sessions'
		)
		.option('--only <key>', 'apply only this entry key; repeatable', collect)
		.option('--take-over', 'let adopt: take sessions over from other stacks')
		.addOption(colorOption('output'))
		.option('--no-repo-check', 'do not check that the GitHub App reaches every pinned repo');
	addHubOptions(command).action(async (planfile: string | undefined, flags: ApplyFlags) => {
		const io = processIo();
		exitWith(await runCommand(io, () => runApply(planfile, flags, io)));
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
		return applySaved(planfile, flags, io, { parallelism, allowRemovals });
	}
	const spec = await loadSpecOrFail(flags.file ?? [], io);
	const opened = await openHub(flags, io);
	try {
		const reader = readOnly(opened.hub);
		const { plan, live } = await planAgainstHub(spec, reader, io, {
			only: flags.only ?? [],
			parallelism,
			takeOver: flags.takeOver,
		});
		await checkPinnedRepos(plan, reader, io, repoCheckOptions(flags, opened, parallelism));
		const color = useColor(io, flags.color);
		io.out(render('text', plan, { files: spec.files, hubCalls: reader.calls }, color));
		return await carryOut(plan, opened, io, {
			autoApprove: flags.autoApprove === true,
			parallelism,
			allowRemovals,
			color,
			confirm: true,
			baseline: live,
		});
	} finally {
		await opened.close();
	}
}

async function applySaved(
	planfile: string,
	flags: ApplyFlags,
	io: Io,
	options: { parallelism: number; allowRemovals: number | undefined }
): Promise<number> {
	// -f names where the plan's literal env text is read from (see readSavedPlanToApply).
	const saved = await readSavedPlanToApply(planfile, flags.file ?? [], io);
	const opened = await openHub(savedPlanHubFlags(flags, saved), io);
	try {
		const { plan, live } = await planAgainstHub(saved.spec, readOnly(opened.hub), io, {
			only: saved.plan.only,
			parallelism: options.parallelism,
			// A saved plan was reviewed with or without --take-over; apply cannot widen it.
			takeOver: saved.plan.takeOver === true,
		});
		const reasons = staleReasons(saved.plan, plan);
		if (reasons.length > 0) {
			io.err(
				`The saved plan ${planfile} is stale: the Hub (or the environment it reads) changed since it was made.`
			);
			for (const reason of reasons) io.err(`  - ${reason}`);
			io.err('Run plan again and review the new plan.');
			return ExitCode.Stale;
		}
		await checkPinnedRepos(
			plan,
			readOnly(opened.hub),
			io,
			repoCheckOptions(flags, opened, options.parallelism)
		);
		const color = useColor(io, flags.color);
		io.out(render('text', plan, { files: saved.spec.files }, color));
		return await carryOut(plan, opened, io, {
			...options,
			autoApprove: true,
			color,
			confirm: false,
			saved,
			baseline: live,
		});
	} finally {
		await opened.close();
	}
}

function repoCheckOptions(
	flags: ApplyFlags,
	opened: OpenHub,
	parallelism: number
): RepoCheckOptions {
	return { enabled: flags.repoCheck !== false, skipped: opened.repoCheckSkipped, parallelism };
}

function parseAllowRemovals(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	return parseNumber('--allow-removals', value, { integer: true, min: 0 });
}
