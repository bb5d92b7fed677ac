/** What `coder-sessions show` does when it runs (loaded then); commands/show.ts declares its flags and help. */
import { ExitCode } from '../../core/exit-code.js';
import { refusalReasons } from '../../operations/refusal.js';
import { renderPlan } from '../../operations/render-plan.js';
import { readSavedPlanChecked, type SavedPlanShown } from '../../operations/saved-plan.js';
import type { OutputFormat } from '../../render/index.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import { parseOutputFlags, PLAN_FORMATS, type Output, type OutputFlags } from '../flags/output.js';
import { environmentOf, tableOf, type Io } from '../io.js';
import { reportRefusal } from '../refusal.js';
import { namesRecord, showRecordFiles } from '../../operations/show-record.js';
import { jsonText } from '../../core/untrusted/json.js';
import { renderRecordText, toRecordJson } from '../../render/record.js';
import { createStyle } from '../../render/style.js';
import { parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';

export interface ShowFlags extends HubFlags, OutputFlags, SpecFlags {
	readonly check?: boolean;
}

export async function runShow(planfile: string, flags: ShowFlags, io: Io): Promise<number> {
	const output = parseOutputFlags(flags, io, PLAN_FORMATS);
	if (await namesRecord(planfile, tableOf(io), io)) return showRecord(planfile, flags, io, output);
	const shown = await readSavedPlanChecked(
		planfile,
		{ target: parseHubFlags(flags), check: flags.check !== false },
		environmentOf(io)
	);
	return showSavedPlan(shown, output, io);
}

/** The plan with its warnings on stdout; the check's verdict and why apply would refuse it on stderr. */
function showSavedPlan({ saved, check }: SavedPlanShown, output: Output<OutputFormat>, io: Io) {
	const warnings = check.otherHub
		? [`This saved plan was made for another Hub: ${check.otherHub}; apply will refuse it there.`]
		: check.stale.length > 0
			? [`This saved plan is stale; apply will refuse it.`, ...check.stale]
			: [];
	const meta = { files: saved.spec.files, stale: warnings };
	io.out(renderPlan({ plan: saved.plan, meta }, output));
	if (check.checked) {
		const verdict = check.otherHub
			? 'made for another Hub'
			: check.stale.length > 0
				? 'stale'
				: 'current';
		io.err(`Checked against ${check.checked}: the saved plan is ${verdict}.`);
	}
	const refused = reportRefusal(
		refusalReasons(saved.plan),
		io,
		`Apply would refuse this saved plan:`
	);
	// As apply answers it: a plan stale here, or made for another Hub, exits 4 before any rail.
	if (warnings.length > 0) return ExitCode.Stale;
	return refused ? ExitCode.Refused : ExitCode.Ok;
}

/** `show KEY`: the stack's record of another kind, from the spec's stack and the Hub. */
async function showRecord(
	key: string,
	flags: ShowFlags,
	io: Io,
	output: Output<OutputFormat>
): Promise<number> {
	const request = {
		files: parseSpecFlags(flags).files,
		target: parseHubFlags(flags),
		...tableOf(io),
	};
	const { stack, records } = await showRecordFiles(
		key,
		request,
		withSpecVars(environmentOf(io), flags)
	);
	io.out(
		output.format === 'json'
			? jsonText(toRecordJson(stack, records), 2)
			: renderRecordText(stack, records, createStyle(output.color))
	);
	return ExitCode.Ok;
}
