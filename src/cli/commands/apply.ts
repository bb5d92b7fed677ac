import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyPlan } from '../../apply/executor.js';
import { changedSincePlan } from '../../env/plan-hashes.js';
import { describeMissing, resolveEntryEnv, type MissingEnv } from '../../env/resolve.js';
import { UserError } from '../../errors.js';
import { readOnly } from '../../hub/client.js';
import { createStyle } from '../../plan/render/index.js';
import { hazardMessages } from '../../plan/render/messages.js';
import { blockingHazards } from '../../plan/safety.js';
import { parseSavedPlan, type SavedPlan } from '../../plan/saved.js';
import { staleReasons } from '../../plan/staleness.js';
import { hasChanges, type Plan } from '../../plan/types.js';
import { applySucceeded, outcomeLine, summaryLines } from '../apply-report.js';
import { askForYes } from '../confirm.js';
import { ExitCode } from '../exit.js';
import { addHubOptions, openHub, parseParallelism, type OpenHub } from '../hub-options.js';
import { processIo, type Io } from '../io.js';
import { collect, loadSpecOrFail, planAgainstHub, render, useColor } from '../planning.js';
import { checkPinnedRepos, type RepoCheckOptions } from '../repo-check.js';
import { exitWith, runCommand } from '../run.js';

export interface ApplyFlags {
	readonly file?: string[];
	readonly local?: boolean;
	readonly url?: string;
	readonly org?: string;
	readonly region?: string;
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
		.option(
			'-f, --file <file>',
			'spec file; repeat to merge several (default: sessions.yaml)',
			collect
		)
		.option('--auto-approve', 'apply without asking for `yes` (needed without a terminal)')
		.option('--parallelism <n>', 'Hub calls at once (default: 8)')
		.option(
			'--allow-removals <n>',
			'let a safety rail pass when the plan removes exactly N sessions'
		)
		.option('--only <key>', 'apply only this entry key; repeatable', collect)
		.option('--take-over', 'let adopt: take sessions over from other stacks')
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
		if (flags.file?.length || flags.only?.length) {
			throw new UserError(
				'a saved plan already fixes the spec and keys: give PLANFILE or -f/--only, not both'
			);
		}
		return applySaved(planfile, flags, io, { parallelism, allowRemovals });
	}
	const spec = await loadSpecOrFail(flags.file ?? [], io);
	const opened = await openHub(flags, io);
	try {
		const reader = readOnly(opened.hub);
		const { plan } = await planAgainstHub(spec, reader, io, {
			only: flags.only ?? [],
			parallelism,
			takeOver: flags.takeOver,
		});
		await checkPinnedRepos(plan, reader, io, repoCheckOptions(flags, opened, parallelism));
		const color = useColor(io, flags.color);
		io.out(render('text', plan, { files: spec.files, hubCalls: reader.calls }, color));
		return await carryOut(plan, opened, io, {
			flags,
			parallelism,
			allowRemovals,
			color,
			confirm: true,
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
	const saved = await readSavedPlan(planfile, io);
	const hubFlags =
		flags.local || flags.url || flags.region
			? flags
			: {
					...flags,
					local: saved.target.local,
					url: saved.target.url,
					org: flags.org ?? saved.target.org,
				};
	const opened = await openHub(hubFlags, io);
	try {
		const { plan } = await planAgainstHub(saved.spec, readOnly(opened.hub), io, {
			only: saved.plan.only,
			parallelism: options.parallelism,
			takeOver: flags.takeOver === true || saved.plan.takeOver === true,
		});
		const reasons = staleReasons(saved.plan, plan);
		if (reasons.length > 0) {
			io.err(`The saved plan ${planfile} is stale: the Hub changed since it was made.`);
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
		return await carryOut(plan, opened, io, { ...options, flags, color, confirm: false, saved });
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

interface CarryOutOptions {
	readonly flags: ApplyFlags;
	readonly parallelism: number;
	readonly allowRemovals: number | undefined;
	readonly color: boolean;
	/** A saved plan was reviewed already: it applies without a prompt. */
	readonly confirm: boolean;
	readonly saved?: SavedPlan;
}

async function carryOut(
	plan: Plan,
	opened: OpenHub,
	io: Io,
	options: CarryOutOptions
): Promise<number> {
	if (!hasChanges(plan)) {
		io.out('Nothing to apply.');
		return ExitCode.Ok;
	}
	const blocking = blockingHazards(plan.hazards, plan.removals, options.allowRemovals);
	if (blocking.length > 0) {
		io.err('Apply refused by a safety rail:');
		for (const message of hazardMessages({ ...plan, hazards: blocking }, (key) => key))
			io.err(`  ${message}`);
		return ExitCode.Refused;
	}
	const env = await resolvePlanEnv(plan, io, options.saved);
	if (options.confirm && !options.flags.autoApprove) {
		if (!process.stdin.isTTY) {
			throw new UserError(
				'no terminal to confirm on: review the plan, then re-run with --auto-approve (or apply a saved plan)'
			);
		}
		const approved = await askForYes('\nApply these changes? Only `yes` is accepted: ');
		if (!approved) {
			io.err('Apply cancelled; nothing was changed.');
			return ExitCode.Error;
		}
	}
	const style = createStyle(options.color);
	const total = plan.actions.filter((action) => action.kind !== 'noop').length;
	let done = 0;
	io.out('');
	const result = await applyPlan(plan, opened.hub, {
		parallelism: options.parallelism,
		env,
		onEvent: (event) => {
			if (event.type !== 'finish') return;
			done += 1;
			const progress = io.isTTY ? style.dim(`[${done}/${total}] `) : '';
			io.out(progress + outcomeLine(event.outcome, style).trimStart());
		},
	});
	io.out('');
	for (const line of summaryLines(result)) io.out(line);
	return applySucceeded(result) ? ExitCode.Ok : ExitCode.Partial;
}

/** Env values for every create, from the environment; a missing one stops apply before any write. */
async function resolvePlanEnv(plan: Plan, io: Io, saved: SavedPlan | undefined) {
	const values: Record<string, Record<string, string>> = {};
	const missing: MissingEnv[] = [];
	const changed: string[] = [];
	for (const action of plan.actions) {
		if (action.kind !== 'create' && action.kind !== 'replace') continue;
		const resolved = resolveEntryEnv(action.desired, io.env);
		values[action.key] = resolved.values;
		missing.push(...resolved.missing);
		if (saved) {
			for (const envKey of await changedSincePlan(saved.env, action.key, resolved.values))
				changed.push(`${action.key}.env.${envKey}`);
		}
	}
	if (missing.length > 0) throw new UserError(`${describeMissing(missing)}; nothing was applied`);
	if (changed.length > 0) {
		throw new UserError(
			`env values changed since the plan was made (${changed.join(', ')}); run plan again`,
			ExitCode.Stale
		);
	}
	return values;
}

async function readSavedPlan(planfile: string, io: Io): Promise<SavedPlan> {
	let text: string;
	try {
		text = await readFile(resolve(io.cwd, planfile), 'utf8');
	} catch {
		throw new UserError(`${planfile}: cannot read the saved plan (file not found?)`);
	}
	return parseSavedPlan(text, planfile);
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

export { carryOut, readSavedPlan };
