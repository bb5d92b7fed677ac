import type { Command } from 'commander';
import { addHubFlags } from '../flags/hub.js';
import { addOutputFlags, REPORT_FORMATS } from '../flags/output.js';
import { addReadFlags } from '../flags/plan.js';
import { addSpecFlags } from '../flags/spec.js';
import type { CommandHost } from '../run.js';
import type { StatusFlags } from '../actions/status.js';

export function registerStatus(program: Command, host: CommandHost): void {
	const command = program
		.command('status')
		.description(
			"Show the stack's sessions on the Hub: state, activity, and whether each matches the spec (reads only)"
		);
	addSpecFlags(command, 'show')
		.option('--watch', 'refresh every --interval seconds until Ctrl-C')
		.option('--interval <seconds>', 'seconds between refreshes with --watch (default: 5)');
	addReadFlags(command, 'Hub reads', { discovery: true });
	addOutputFlags(command, { formats: REPORT_FORMATS, color: 'text output' }).addHelpText(
		'after',
		`
One row per session of the stack: every active one, else the newest archived one, plus one per
spec entry with nothing on the Hub. SYNC is "in sync", "drifted: FIELDS" (plan would change
it), "missing" (apply would create it), "archived", or "extra" (its key left the spec).
PARTICIPANTS counts the session's participants, EVENTS its event history ("50+" when the Hub
gives no total); LAST ACTIVITY is the latest of the session's, its participants' and its newest
event's times. JSON also says whether a replay exists. A "?" means those reads failed for that
session (a warning under the table says why). Each session costs three reads besides its detail.

Records of other kinds the stack owns are listed under "Other kinds:": kind, qualified key, id
and the kind's status words (\`show SECTION.KEY\` prints one in full).

--format json prints {formatVersion: 1, stack, files, generatedAt, sessions: [...], counts,
hubCalls, resources: [...]}; see the README for the fields.

--watch on a terminal redraws the table in place; without a terminal (or with --format json)
it prints one snapshot per refresh (JSON: one document per line). Ctrl-C stops it, exit 0.

Examples:
  coder-sessions status --local -f examples/sessions.yaml
  coder-sessions status --watch --interval 10
  coder-sessions status --format json | jq '.sessions[] | select(.sync != "in-sync")'`
	);
	addHubFlags(command).action(async (flags: StatusFlags) => {
		const stop = new AbortController();
		const onInterrupt = () => {
			stop.abort();
			// A Hub read abandoned by Ctrl-C must not hold the exit back for long.
			setTimeout(() => process.exit(), 1000).unref();
		};
		if (flags.watch) process.once('SIGINT', onInterrupt);
		try {
			const { runStatus } = await import('../actions/status.js');
			await host.run((io) => runStatus(flags, io, stop.signal));
		} finally {
			process.removeListener('SIGINT', onInterrupt);
		}
	});
}
