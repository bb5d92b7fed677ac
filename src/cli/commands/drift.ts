import type { Command } from 'commander';
import { addHubFlags } from '../flags/hub.js';
import { addOutputFlags, REPORT_FORMATS } from '../flags/output.js';
import { addReadFlags } from '../flags/plan.js';
import { addSpecFlags } from '../flags/spec.js';
import type { CommandHost } from '../run.js';
import type { DriftFlags } from '../actions/drift.js';

export function registerDrift(program: Command, host: CommandHost): Command {
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
		.option('--auto-approve', 'with --write: write without asking for `yes`');
	addHubFlags(command).action(async (flags: DriftFlags) => {
		const { runDrift } = await import('../actions/drift.js');
		await host.run((io) => runDrift(flags, io));
	});
	return command;
}

/**
 * The help after the flags, which names the fields drift sees: they come from the field table,
 * which loads with the schemas, so only a command line about drift adds it.
 */
export async function addDriftHelp(command: Command): Promise<void> {
	const { outsideChangesHelp } = await import('../../render/drift-help.js');
	command.addHelpText('after', driftHelp(outsideChangesHelp(35)));
}

/** What `drift --help` says after the flags, with the words on which fields drift sees. */
function driftHelp(outsideChanges: string): string {
	return `
Every session apply writes carries coder-sessions/applied: a digest per field of what it wrote.
drift reads each active session of the stack against that stamp and reports two groups:

  Changed outside coder-sessions   ${outsideChanges}
  Spec changes not yet applied     the spec differs from what was last applied (including
                                   entries to create, adopt, archive or prune).

Records of other kinds (agents, workspaces, ...) whose live values differ from their entries are
listed field by field, and exit 6 like a session changed outside coder-sessions.

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
  coder-sessions drift --write      # accept the hand edits: the spec takes the Hub's values`;
}
