import type { Command } from 'commander';
import { ExitCode } from '../../core/exit-code.js';
import { missingEnvError } from '../../plan/env/missing.js';
import { loadBaseSpec } from '../../operations/base-plan.js';
import { connectHub, type HubTarget } from '../../operations/connect.js';
import { plan } from '../../operations/plan.js';
import { loadSpecOrFail } from '../../operations/planning.js';
import { renderPlan } from '../../operations/render-plan.js';
import { writeSavedPlan } from '../../operations/saved-plan-file.js';
import { hasChanges } from '../../plan/types.js';
import { renderMarkdown } from '../../render/index.js';
import { redact } from '../../core/secrets/redact.js';
import { actionsRunUrl, appendStepSummary } from '../github-actions.js';
import { addHubOptions } from '../hub-options.js';
import { discoveryOption } from '../discovery-option.js';
import type { DiscoveryMode } from '../../hub/discovery/types.js';
import {
	colorOption,
	formatOption,
	parallelismOption,
	parseParallelism,
	parsePlanFormat,
	PLAN_FORMATS,
	useColor,
} from '../options.js';
import { environmentOf, type Io } from '../io.js';
import { reportRefusal } from '../refusal.js';
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

export interface PlanFlags extends HubTarget, SpecFileFlags, ScopeFlags {
	readonly out?: string;
	readonly format?: string;
	readonly detailedExitcode?: boolean;
	readonly parallelism?: string;
	readonly color?: boolean;
	readonly takeOver?: boolean;
	readonly discovery?: DiscoveryMode;
	readonly replace?: string[];
	readonly destroy?: boolean;
	/** False with --no-repo-check. */
	readonly repoCheck?: boolean;
	/** False with --no-reference-check. */
	readonly referenceCheck?: boolean;
	/** A git ref of the spec: mark each action as this change's or already pending at the ref. */
	readonly base?: string;
	/** Plan even when variables the creates and replaces need are not set (a note says so). */
	readonly allowMissingEnv?: boolean;
}

export function registerPlan(program: Command, host: CommandHost): void {
	const command = program
		.command('plan')
		.description('Show what apply would change on the Hub to match the spec (reads only)')
		.addOption(specFileOption())
		.option('-o, --out <planfile>', 'save the plan, to apply it later with `apply PLANFILE`')
		.addOption(formatOption(PLAN_FORMATS))
		.option(
			'--detailed-exitcode',
			'exit 2 when the plan has changes, 0 when it has none (3 when apply would refuse it, with or without this flag)'
		)
		.addOption(parallelismOption('Hub reads'))
		.addOption(discoveryOption())
		.addOption(onlyOption('plan'))
		.addOption(selectOption('plan'))
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
		.addOption(colorOption('text output'))
		.option('--no-repo-check', 'do not check that the GitHub App reaches every pinned repo')
		.option('--no-reference-check', REFERENCE_CHECK_FLAG)
		.option(
			'--allow-missing-env',
			'plan even when env variables that creates and replaces need are not set (a plan without the env secrets, e.g. for a fork): it then notes what it cannot promise'
		)
		.option(
			'--base <ref>',
			"also plan the spec as it was at this git ref (e.g. origin/main) and mark each action as this change's or already pending without it"
		);
	addHubOptions(command).action(async (flags: PlanFlags) => {
		await host.run((io) => runPlan(flags, io));
	});
}

export async function runPlan(flags: PlanFlags, io: Io): Promise<number> {
	const format = parsePlanFormat(flags.format);
	const parallelism = parseParallelism(flags.parallelism);
	const environment = environmentOf(io);
	const spec = await loadSpecOrFail(flags.file ?? [], environment);
	// Read before the Hub is opened: a bad ref fails without a Hub call.
	const base =
		flags.base !== undefined ? await loadBaseSpec(flags.base, spec.files, environment) : undefined;
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
			...(base ? { base } : {}),
			allowMissingEnv: flags.allowMissingEnv === true,
		});
		// Apply would stop on these before any write: fail here, on the pull request, instead.
		if (planned.missingEnv.length > 0 && flags.allowMissingEnv !== true) {
			throw missingEnvError(
				planned.missingEnv,
				'Set them, or plan with --allow-missing-env to plan without them (the plan then cannot promise these creates and replaces).'
			);
		}
		const runUrl = actionsRunUrl(io.env);
		const meta = { ...planned.meta, ...(runUrl ? { runUrl } : {}) };
		io.out(renderPlan(planned, { format, color: useColor(io, flags.color), meta }));
		if (format === 'markdown') {
			await appendStepSummary(io, (limit) =>
				redact(renderMarkdown({ plan: planned.plan, meta }, { limit }))
			);
		}
		const refused = planned.refusal.length > 0;
		if (flags.out) {
			await writeSavedPlan(planned, connected.target, flags.out, environment);
			if (!refused) {
				io.err(
					`Saved the plan to ${flags.out}. Apply exactly these changes with: coder-sessions apply ${flags.out}`
				);
			}
		}
		// Refused here, on the pull request, rather than by apply after the merge.
		if (refused) {
			const saved = flags.out ? ` (saved to ${flags.out} for review)` : '';
			reportRefusal(planned.refusal, io, `Apply would refuse this plan${saved}:`);
			return ExitCode.Refused;
		}
		return flags.detailedExitcode && hasChanges(planned.plan) ? ExitCode.Changes : ExitCode.Ok;
	} finally {
		await connected.close();
	}
}
