import type { Command } from 'commander';
import type { CommandHost } from '../run.js';
import { addSpecVarFlags, specFileOption } from '../flags/spec.js';
import type { RenderFlags } from '../actions/render.js';

export function registerRender(program: Command, host: CommandHost): void {
	const command = program
		.command('render')
		.summary('Print the spec with its templates expanded (offline)')
		.description(
			"Print the spec as plan and apply read it: every forEach expanded into its entries and every ${var.NAME} filled in, in fmt's layout, under a comment naming the vars and where each value came from. Needs no credentials and never contacts the Hub."
		);
	command.addOption(specFileOption());
	addSpecVarFlags(command)
		.addHelpText(
			'after',
			`
Each file is printed on its own, expanded, as one YAML document (several files: separated by
---). Env values with literal text are masked; \${NAME} in env stays, it is read at apply time.

Examples:
  coder-sessions render
  coder-sessions render --var-file prod.yaml
  coder-sessions render -f sessions.yaml --var env=qa`
		)
		.action(async (flags: RenderFlags) => {
			const { runRender } = await import('../actions/render.js');
			await host.run((io) => runRender(flags, io));
		});
}
