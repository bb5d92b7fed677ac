/** What `coder-sessions plan` does when it runs (loaded then); commands/plan.ts declares its flags and help. */
import { ExitCode } from '../../core/exit-code.js';
import { planFiles, type Planned } from '../../operations/plan.js';
import { renderPlan } from '../../operations/render-plan.js';
import { hasChanges } from '../../plan/types.js';
import { renderMarkdown, type OutputFormat } from '../../render/index.js';
import { redact } from '../../core/secrets/redact.js';
import { actionsRunUrl, appendStepSummary } from '../github-actions.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import { parseOutputFlags, PLAN_FORMATS, type Output, type OutputFlags } from '../flags/output.js';
import { parsePlanFlags, parseReadFlags, type PlanFlags, type ReadFlags } from '../flags/plan.js';
import { parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { environmentOf, tableOf, type Io } from '../io.js';
import { reportRefusal } from '../refusal.js';

export interface PlanCommandFlags extends HubFlags, SpecFlags, ReadFlags, PlanFlags, OutputFlags {
	readonly out?: string;
	readonly detailedExitcode?: boolean;
	/** A git ref of the spec: mark each action as this change's or already pending at the ref. */
	readonly base?: string;
	/** Plan even when variables the creates and replaces need are not set (a note says so). */
	readonly allowMissingEnv?: boolean;
}

export async function runPlan(flags: PlanCommandFlags, io: Io): Promise<number> {
	const output = parseOutputFlags(flags, io, PLAN_FORMATS);
	const planned = await planFiles(
		{
			...parseSpecFlags(flags),
			...parseReadFlags(flags),
			...parsePlanFlags(flags),
			target: parseHubFlags(flags),
			...tableOf(io),
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
