import type { Command } from 'commander';
import { outsideChangesHelp } from '../../render/drift-help.js';
import { hasOutsideDrift } from '../../plan/drift-report.js';
import { renderDriftText, toDriftJson } from '../../render/drift.js';
import { driftFiles } from '../../operations/stack-reads.js';
import { UserError } from '../../core/errors.js';
import { acceptDriftInTerminal } from '../accept-drift.js';
import { jsonText } from '../../core/untrusted/json.js';
import { createStyle } from '../../render/style.js';
import { ExitCode } from '../../core/exit-code.js';
import { addHubFlags, parseHubFlags, type HubFlags } from '../flags/hub.js';
import {
	addOutputFlags,
	parseOutputFlags,
	REPORT_FORMATS,
	type OutputFlags,
} from '../flags/output.js';
import { addReadFlags, parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { addSpecFlags, parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { environmentOf, type Io } from '../io.js';
import type { CommandHost } from '../run.js';

export interface DriftFlags extends HubFlags, SpecFlags, ReadFlags, OutputFlags {
	readonly write?: boolean;
	readonly autoApprove?: boolean;
}

export function registerDrift(program: Command, host: CommandHost): void {
	const command = program
		.command('drift')
		.description(
			'Compare live sessions with what coder-sessions last applied; exit 6 when they were changed outside it (reads only)'
		);
	addSpecFlags(command, 'check');
	addReadFlags(command, 'Hub reads', { discovery: true });
	addOutputFlags(command, { formats: REPORT_FORMATS, color: 'text output' })
		.option(
			'--write',
			"take the changes made outside coder-sessions into the spec: the Hub's values of the fields it echoes become the desired ones (shows the diff, asks first)"
		)
		.option('--auto-approve', 'with --write: write without asking for `yes`')
		.addHelpText(
			'after',
			`
Every session apply writes carries coder-sessions/applied: a digest per field of what it wrote.
drift reads each active session of the stack against that stamp and reports two groups:

  Changed outside coder-sessions   ${outsideChangesHelp(35)}
  Spec changes not yet applied     the spec differs from what was last applied (including
                                   entries to create, adopt, archive or prune).

Sessions with no stamp are listed as never applied by coder-sessions. Fields under
ignoreChanges are left out. Env is compared by key and template only: values are never read.

Exit codes:
  0  no session was changed outside coder-sessions (pending spec changes alone exit 0:
     gate on those with \`plan --detailed-exitcode\`, which exits 2)
  1  error (bad spec, bad flags, Hub error)
  6  at least one session was changed outside coder-sessions

Examples:
  coder-sessions drift --local -f examples/sessions.yaml
  coder-sessions drift --format json | jq '.sessions[] | select(.outside != [])'
  coder-sessions drift --write      # accept the hand edits: the spec takes the Hub's values`
		);
	addHubFlags(command).action(async (flags: DriftFlags) => {
		await host.run((io) => runDrift(flags, io));
	});
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
	};
	const environment = withSpecVars(environmentOf(io), flags);
	if (flags.write) {
		return acceptDriftInTerminal(request, io, environment, flags.autoApprove === true);
	}
	if (flags.autoApprove) throw new UserError('--auto-approve only applies with --write');
	const report = await driftFiles(request, environment);
	if (output.format === 'json') io.out(jsonText(toDriftJson(report), 2));
	else io.out(renderDriftText(report, createStyle(output.color)));
	return hasOutsideDrift(report) ? ExitCode.Drift : ExitCode.Ok;
}
