/** What `coder-sessions drift` does when it runs (loaded then); commands/drift.ts declares its flags and help. */
import { hasOutsideDrift } from '../../plan/drift-report.js';
import { runToTheEndWhenOutputCloses } from '../closed-pipe.js';
import { renderDriftText, toDriftJson } from '../../render/drift.js';
import { driftFiles } from '../../operations/stack-reads.js';
import { UserError } from '../../core/errors.js';
import { acceptDriftInTerminal } from '../accept-drift.js';
import { jsonText } from '../../core/untrusted/json.js';
import { createStyle } from '../../render/style.js';
import { ExitCode } from '../../core/exit-code.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import { parseOutputFlags, REPORT_FORMATS, type OutputFlags } from '../flags/output.js';
import { parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { environmentOf, tableOf, type Io } from '../io.js';

export interface DriftFlags extends HubFlags, SpecFlags, ReadFlags, OutputFlags {
	readonly write?: boolean;
	readonly autoApprove?: boolean;
}

export async function runDrift(flags: DriftFlags, io: Io): Promise<number> {
	const scope = parseSpecFlags(flags);
	const output = parseOutputFlags(flags, io, REPORT_FORMATS);
	const request = {
		files: scope.files,
		target: parseHubFlags(flags),
		...parseReadFlags(flags),
		only: scope.only,
		select: scope.select,
		...tableOf(io),
	};
	const environment = withSpecVars(environmentOf(io), flags);
	if (flags.write) {
		runToTheEndWhenOutputCloses();
		return acceptDriftInTerminal(request, io, environment, flags.autoApprove === true);
	}
	if (flags.autoApprove) throw new UserError('--auto-approve only applies with --write');
	const report = await driftFiles(request, environment);
	if (output.format === 'json') io.out(jsonText(toDriftJson(report), 2));
	else io.out(renderDriftText(report, createStyle(output.color)));
	return hasOutsideDrift(report) ? ExitCode.Drift : ExitCode.Ok;
}
