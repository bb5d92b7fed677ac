import type { Command } from 'commander';
import { addHubFlags } from '../flags/hub.js';
import { addReadFlags } from '../flags/plan.js';
import { addSpecFlags } from '../flags/spec.js';
import type { CommandHost } from '../run.js';
import type { ForgetFlags } from '../actions/forget.js';

export function registerForget(program: Command, host: CommandHost): void {
	const command = program
		.command('forget')
		.argument(
			'<key...>',
			"entry keys of the spec's stack to stop managing (records of other kinds as SECTION.KEY)"
		)
		.description('Stop managing sessions without archiving them: remove their ownership markers');
	addSpecFlags(command).option(
		'--auto-approve',
		'forget without asking for `yes` (needed without a terminal)'
	);
	addReadFlags(command, 'Hub calls', { discovery: false }).addHelpText(
		'after',
		`
Like terraform state rm, the sessions keep running; the stack no longer archives, updates or
recreates them. The key must be gone from the spec or marked \`state: unmanaged\` (else the next
plan would create it again). To manage a forgotten session again, adopt it (\`adopt: ID\`, or
\`coder-sessions import ID --key KEY\`).

A record of another kind (\`forget agents.reviewer\`) keeps running as it is too: an update takes
the ownership marker off its description. Kinds the Hub cannot change once made (saved skills,
skill buckets) keep their marker: forget refuses them (exit 3).`
	);
	addHubFlags(command).action(async (keys: string[], flags: ForgetFlags) => {
		const { runForget } = await import('../actions/forget.js');
		await host.run((io) => runForget(keys, flags, io));
	});
}
