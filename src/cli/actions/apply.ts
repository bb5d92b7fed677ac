/** What `coder-sessions apply` does when it runs (loaded then); commands/apply.ts declares its flags and help. */
import { UserError } from '../../core/errors.js';
import { runToTheEndWhenOutputCloses } from '../closed-pipe.js';
import { ExitCode } from '../../core/exit-code.js';
import { planThen } from '../../operations/plan.js';
import { renderPlan } from '../../operations/render-plan.js';
import { replanSavedFile } from '../../operations/saved-plan.js';
import { applyOutput, carryOutInTerminal, sayNothingChangedIfInterrupted } from '../applying.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import {
	APPLY_FORMATS,
	parseOutputFlags,
	type ApplyFormat,
	type Output,
	type OutputFlags,
} from '../flags/output.js';
import { parsePlanFlags, parseReadFlags, type PlanFlags, type ReadFlags } from '../flags/plan.js';
import { parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { environmentOf, tableOf, type Io } from '../io.js';
import { inlineText } from '../../core/untrusted/text.js';
import { userErrorText } from '../../render/user-error.js';

export interface ApplyFlags extends HubFlags, SpecFlags, ReadFlags, PlanFlags, OutputFlags {
	readonly autoApprove?: boolean;
}

export async function runApply(
	planfile: string | undefined,
	flags: ApplyFlags,
	io: Io
): Promise<number> {
	runToTheEndWhenOutputCloses();
	const approved = sayNothingChangedIfInterrupted(io);
	try {
		return await runApplyOf(planfile, flags, io, approved);
	} finally {
		approved();
	}
}

async function runApplyOf(
	planfile: string | undefined,
	flags: ApplyFlags,
	io: Io,
	onApproved: () => void
): Promise<number> {
	const output = parseOutputFlags(flags, io, APPLY_FORMATS);
	if (output.format === 'text') return applyWith(planfile, flags, io, output, onApproved);
	try {
		return await applyWith(planfile, flags, io, output, onApproved);
	} catch (error) {
		// The document still says how the run ended; the message goes to stderr as always.
		if (!(error instanceof UserError)) throw error;
		applyOutput(io, output.format).finish({
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
	output: Output<ApplyFormat>,
	onApproved: () => void
): Promise<number> {
	const scope = parseSpecFlags(flags);
	const reads = parseReadFlags(flags);
	const choices = parsePlanFlags(flags);
	const target = parseHubFlags(flags);
	const environment = withSpecVars(environmentOf(io), flags);
	const say = applyOutput(io, output.format).say;
	const terminal = { ...output, parallelism: reads.parallelism, ...tableOf(io), onApproved };
	const allowRemovals =
		choices.allowRemovals !== undefined ? { allowRemovals: choices.allowRemovals } : {};
	if (!planfile) {
		return planThen(
			{ ...scope, ...reads, ...choices, target, ...tableOf(io) },
			environment,
			async (planned, connected) => {
				say(renderPlan(planned, { color: output.color }));
				return carryOutInTerminal(planned, connected.hub, io, {
					...terminal,
					...allowRemovals,
					autoApprove: flags.autoApprove === true,
				});
			}
		);
	}
	checkSavedPlanFlags(flags);
	const replanned = await replanSavedFile(
		planfile,
		{
			files: scope.files,
			target,
			...reads,
			...tableOf(io),
			repoCheck: choices.repoCheck,
			referenceCheck: choices.referenceCheck,
		},
		environment,
		async (planned, connected, saved) => {
			say(renderPlan(planned, { color: output.color }));
			return carryOutInTerminal(planned, connected.hub, io, {
				...terminal,
				...allowRemovals,
				autoApprove: true,
				saved,
			});
		}
	);
	return showSavedPlanEnd(planfile, replanned, io, output.format);
}

/** A saved plan fixes its keys, vars, replaces and whether it destroys. */
function checkSavedPlanFlags(flags: ApplyFlags): void {
	if (flags.only?.length || flags.select?.length) {
		throw new UserError(
			'a saved plan already fixes the keys: give PLANFILE or --only/--select, not both'
		);
	}
	if (flags.var?.length || flags.varFile?.length) {
		throw new UserError(
			'a saved plan carries the vars it was made with: give PLANFILE or --var/--var-file, not both'
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
}

function showSavedPlanEnd(
	planfile: string,
	replanned: Awaited<ReturnType<typeof replanSavedFile<number>>>,
	io: Io,
	format: ApplyFormat
): number {
	switch (replanned.status) {
		case 'current':
			return replanned.value;
		case 'other-hub':
			io.err(
				`The saved plan ${planfile} was made for another Hub: ${inlineText(replanned.reason)}.`
			);
			io.err('Run plan against this Hub and review the new plan.');
			return ExitCode.Stale;
		case 'stale': {
			io.err(
				`The saved plan ${planfile} is stale: the Hub (or the environment it reads) changed since it was made.`
			);
			for (const reason of replanned.stale) io.err(`  - ${inlineText(reason)}`);
			io.err('Run plan again and review the new plan.');
			const { plan } = replanned.saved;
			return applyOutput(io, format).finish({
				stack: plan.stack,
				status: 'stale',
				exitCode: ExitCode.Stale,
				actions: plan.actions,
				reasons: replanned.stale,
			});
		}
	}
}
