import type { Command } from 'commander';
import { addHubFlags } from '../flags/hub.js';
import { addOutputFlags, PLAN_FORMATS } from '../flags/output.js';
import { addPlanFlags, addReadFlags } from '../flags/plan.js';
import { addSpecFlags } from '../flags/spec.js';
import type { CommandHost } from '../run.js';
import type { PlanCommandFlags } from '../actions/plan.js';

export function registerPlan(program: Command, host: CommandHost): void {
	const command = program
		.command('plan')
		.description('Show what apply would change on the Hub to match the spec (reads only)');
	addSpecFlags(command, 'plan')
		.option('-o, --out <planfile>', 'save the plan, to apply it later with `apply PLANFILE`')
		.option(
			'--detailed-exitcode',
			'exit 2 when the plan has changes, 0 when it has none (3 when apply would refuse it, with or without this flag)'
		)
		.option(
			'--allow-missing-env',
			'plan even when env variables that creates and replaces need are not set (a plan without the env secrets, e.g. for a fork): it then notes what it cannot promise'
		)
		.option(
			'--base <ref>',
			"also plan the spec as it was at this git ref (e.g. origin/main) and mark each action as this change's or already pending without it"
		);
	addReadFlags(command, 'Hub reads', { discovery: true });
	addPlanFlags(command, { applying: false });
	addOutputFlags(command, { formats: PLAN_FORMATS, color: 'text output' });
	addHubFlags(command).action(async (flags: PlanCommandFlags) => {
		const { runPlan } = await import('../actions/plan.js');
		await host.run((io) => runPlan(flags, io));
	});
}
