import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { readOnly } from '../../hub-client/client.js';
import { staleReasons } from '../../plan/staleness.js';
import { carryOut } from '../carry-out.js';
import { ExitCode } from '../exit.js';
import { addHubOptions, openHub, parseParallelism, type OpenHub } from '../hub-options.js';
import { processIo, type Io } from '../io.js';
import { loadSpecOrFail, planAgainstHub, render, useColor } from '../planning.js';
import { checkPinnedRepos, type RepoCheckOptions } from '../repo-check.js';
import { exitWith, runCommand } from '../run.js';
import { readSavedPlanToApply, savedPlanHubFlags } from '../saved-plan-file.js';
import { collect, specFileOption, type SpecFileFlags } from '../spec-option.js';
import type { HubFlags } from '../../hub-client/connection.js';
import type { DiscoveryMode } from '../../discovery/types.js';
import { discoveryOption } from '../discovery-option.js';

export interface ApplyFlags extends HubFlags, SpecFileFlags {
	readonly autoApprove?: boolean;
	readonly parallelism?: string;
	readonly allowRemovals?: string;
	readonly only?: string[];
	readonly color?: boolean;
	readonly takeOver?: boolean;
	readonly discovery?: DiscoveryMode;
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
		.option('--parallelism <n>', 'Hub calls at once (default: 8)')
		.option(
			'--allow-removals <n>',
			'let a safety rail pass when the plan removes exactly N sessions'
		)
		.option('--only <key>', 'apply only this entry key; repeatable', collect)
		.option('--take-over', 'let adopt: take sessions over from other stacks')
		.addOption(discoveryOption())
		.option('--no-color', 'no colour in output (also: NO_COLOR)')
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
		const { plan, live, listing, discovery } = await planAgainstHub(spec, reader, io, {
			only: flags.only ?? [],
			parallelism,
			takeOver: flags.takeOver,
			discovery: flags.discovery,
		});
		await checkPinnedRepos(plan, reader, io, repoCheckOptions(flags, opened, parallelism));
		const color = useColor(io, flags.color);
		io.out(render('text', plan, { files: spec.files, hubCalls: reader.calls, discovery }, color));
		return await carryOut(plan, opened, io, {
			autoApprove: flags.autoApprove === true,
			parallelism,
			allowRemovals,
			color,
			confirm: true,
			baseline: live,
			listing,
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
		const { plan, live, listing } = await planAgainstHub(saved.spec, readOnly(opened.hub), io, {
			discovery: flags.discovery,
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
			listing,
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
	const parsed = Number(value);
	if (!Number.isInteger(parsed) || parsed < 0) {
		throw new UserError(
			`--allow-removals must be a whole number, the exact count of removals (got "${value}")`
		);
	}
	return parsed;
}
