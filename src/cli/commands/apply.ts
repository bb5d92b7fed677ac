import type { Command } from 'commander';
import { APPLY_FORMATS } from '../flags/output.js';
import { addHubFlags } from '../flags/hub.js';
import { addOutputFlags } from '../flags/output.js';
import { addPlanFlags, addReadFlags } from '../flags/plan.js';
import { addSpecFlags } from '../flags/spec.js';
import type { CommandHost } from '../run.js';
import type { ApplyFlags } from '../actions/apply.js';

export function registerApply(program: Command, host: CommandHost): void {
	const command = program
		.command('apply')
		.argument(
			'[planfile]',
			'a plan saved by `plan --out`; applied without a prompt, as planned (with its --take-over, --no-repo-check, --no-reference-check), refused if stale'
		)
		.description('Change the Hub to match the spec: plan, confirm, apply, verify');
	addSpecFlags(command, 'apply').option(
		'--auto-approve',
		'apply without asking for `yes` (needed without a terminal)'
	);
	addReadFlags(command, 'Hub calls', { discovery: true });
	addPlanFlags(command, { applying: true });
	addOutputFlags(command, { formats: APPLY_FORMATS, color: 'output' });
	addHubFlags(command).action(async (planfile: string | undefined, flags: ApplyFlags) => {
		const { runApply } = await import('../actions/apply.js');
		await host.run((io) => runApply(planfile, flags, io));
	});
}
