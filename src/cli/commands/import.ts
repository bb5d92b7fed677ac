import type { Command } from 'commander';
import { addHubFlags } from '../flags/hub.js';
import { addOutputFlags } from '../flags/output.js';
import { addReadFlags } from '../flags/plan.js';
import type { CommandHost } from '../run.js';
import { addSpecFlags } from '../flags/spec.js';
import type { ImportFlags } from '../actions/import.js';

export function registerImport(program: Command, host: CommandHost): void {
	const command = program
		.command('import')
		.argument(
			'<session-id...>',
			"sessions to adopt into the spec's stack; or records of other kinds as SECTION.KEY=ID (agents.reviewer=ID)"
		)
		.description("Adopt existing sessions into the spec's stack: write their ownership markers");
	addSpecFlags(command)
		.option('--key <key>', 'the spec entry the session becomes (one session only)')
		.option('--take-over', 'adopt sessions that belong to another stack')
		.option('--auto-approve', 'apply without asking for `yes` (needed without a terminal)')
		.option(
			'--write [file]',
			'when the spec lacks an entry, add it at the end of sessions: in the spec file (or FILE), keeping comments, then import'
		);
	addReadFlags(command, 'Hub calls', { discovery: false });
	addOutputFlags(command, { color: 'output' }).addHelpText(
		'after',
		`
Like terraform import, the spec must declare the entry: the one named by --key, else the one
whose adopt: is the session id, else the key derived from the session's label (as export
derives it). When the spec lacks it, the entry to add is printed and nothing changes; with
--write, it is added to the spec file (or FILE) and the import goes on.

A record of another kind made by hand is named with the entry it becomes, SECTION.KEY=ID: the
entry is written with the record's values and adopt: ID, and apply writes its ownership marker
(a kind the Hub cannot change keeps adopt: ID as the proof it is the stack's).

Examples:
  coder-sessions import codesess_1a2b3c --write
  coder-sessions import agents.reviewer=agent_1a2b3c --write
  coder-sessions import codesess_1a2b3c --key review-bot --write sessions.d/imported.yaml`
	);
	addHubFlags(command).action(async (ids: string[], flags: ImportFlags) => {
		const { runImport } = await import('../actions/import.js');
		await host.run((io) => runImport(ids, flags, io));
	});
}
