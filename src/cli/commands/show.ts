import type { Command } from 'commander';
import { addHubFlags } from '../flags/hub.js';
import { addOutputFlags, PLAN_FORMATS } from '../flags/output.js';
import type { CommandHost } from '../run.js';
import { addSpecFlags } from '../flags/spec.js';
import type { ShowFlags } from '../actions/show.js';

export function registerShow(program: Command, host: CommandHost): void {
	const command = program
		.command('show')
		.argument(
			'<planfile>',
			'a plan saved by `plan --out`, or the qualified key of a record of another kind (agents.reviewer)'
		)
		.description(
			"Render a saved plan, with a warning when the Hub has moved on since it was made; or show one of the stack's records of another kind (reads only)"
		)
		.option('--no-check', 'do not compare the plan with the Hub (works offline)');
	addSpecFlags(command);
	addOutputFlags(command, { formats: PLAN_FORMATS, color: 'text output' });
	addHubFlags(command).action(async (planfile: string, flags: ShowFlags) => {
		const { runShow } = await import('../actions/show.js');
		await host.run((io) => runShow(planfile, flags, io));
	});
}
