import type { Command } from 'commander';
import { ExitCode } from '../../core/exit-code.js';
import { planFiles, type Planned } from '../../operations/plan.js';
import { renderPlan } from '../../operations/render-plan.js';
import { hasChanges } from '../../plan/types.js';
import { renderMarkdown, type OutputFormat } from '../../render/index.js';
import { redact } from '../../core/secrets/redact.js';
import { actionsRunUrl, appendStepSummary } from '../github-actions.js';
import { addHubFlags, parseHubFlags, type HubFlags } from '../flags/hub.js';
import {
	addOutputFlags,
	parseOutputFlags,
	PLAN_FORMATS,
	type Output,
	type OutputFlags,
} from '../flags/output.js';
import {
	addPlanFlags,
	addReadFlags,
	parsePlanFlags,
	parseReadFlags,
	type PlanFlags,
	type ReadFlags,
} from '../flags/plan.js';
import { addSpecFlags, parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { environmentOf, type Io } from '../io.js';
import { reportRefusal } from '../refusal.js';
import type { CommandHost } from '../run.js';

export interface PlanCommandFlags extends HubFlags, SpecFlags, ReadFlags, PlanFlags, OutputFlags {
	readonly out?: string;
	readonly detailedExitcode?: boolean;
	/** A git ref of the spec: mark each action as this change's or already pending at the ref. */
	readonly base?: string;
	/** Plan even when variables the creates and replaces need are not set (a note says so). */
	readonly allowMissingEnv?: boolean;
}

export function registerPlan(program: Command, host: CommandHost): void {
	const command = program
		.command('plan')
		.description('Show what apply would change on the Hub to match the spec (reads only)');
	addSpecFlags(command, 'plan')
		.option('-o, --out <planfile>', 'save the plan, to apply it later with `apply PLANFILE`')
		.option(
			'--detailed-exitcode',
			'exit 2 when the plan has changes, 0 when it has none (3 when apply would refuse it, with or without this flag)'
		)
		.option(
			'--allow-missing-env',
			'plan even when env variables that creates and replaces need are not set (a plan without the env secrets, e.g. for a fork): it then notes what it cannot promise'
		)
		.option(
			'--base <ref>',
			"also plan the spec as it was at this git ref (e.g. origin/main) and mark each action as this change's or already pending without it"
		);
	addReadFlags(command, 'Hub reads', { discovery: true });
	addPlanFlags(command, { applying: false });
	addOutputFlags(command, { formats: PLAN_FORMATS, color: 'text output' });
	addHubFlags(command).action(async (flags: PlanCommandFlags) => {
		await host.run((io) => runPlan(flags, io));
	});
}

export async function runPlan(flags: PlanCommandFlags, io: Io): Promise<number> {
	const output = parseOutputFlags(flags, io, PLAN_FORMATS);
	const planned = await planFiles(
		{
			...parseSpecFlags(flags),
			...parseReadFlags(flags),
			...parsePlanFlags(flags),
			target: parseHubFlags(flags),
			...(flags.base !== undefined ? { baseRef: flags.base } : {}),
			allowMissingEnv: flags.allowMissingEnv === true,
			...(flags.out !== undefined ? { out: flags.out } : {}),
		},
		withSpecVars(environmentOf(io), flags)
	);
	return showPlan(planned, io, output, flags);
}

/** The plan on stdout (and the step summary), where it was saved, why apply would refuse it. */
async function showPlan(
	planned: Planned,
	io: Io,
	output: Output<OutputFormat>,
	flags: Pick<PlanCommandFlags, 'out' | 'detailedExitcode'>
): Promise<number> {
	const runUrl = actionsRunUrl(io.env);
	const meta = { ...planned.meta, ...(runUrl ? { runUrl } : {}) };
	io.out(renderPlan(planned, { ...output, meta }));
	if (output.format === 'markdown') {
		await appendStepSummary(io, (limit) =>
			redact(renderMarkdown({ plan: planned.plan, meta }, { limit }))
		);
	}
	const refused = planned.refusal.length > 0;
	if (flags.out && !refused) {
		io.err(
			`Saved the plan to ${flags.out}. Apply exactly these changes with: coder-sessions apply ${flags.out}`
		);
	}
	// Refused here, on the pull request, rather than by apply after the merge.
	if (refused) {
		const saved = flags.out ? ` (saved to ${flags.out} for review)` : '';
		reportRefusal(planned.refusal, io, `Apply would refuse this plan${saved}:`);
		return ExitCode.Refused;
	}
	return flags.detailedExitcode && hasChanges(planned.plan) ? ExitCode.Changes : ExitCode.Ok;
}
