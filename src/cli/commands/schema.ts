import type { Command } from 'commander';
import { ExitCode } from '../../core/exit-code.js';
import type { CommandHost } from '../run.js';

export function registerSchema(program: Command, host: CommandHost): void {
	program
		.command('schema')
		.summary('Print the JSON Schema of the spec file')
		.description(
			'Print the JSON Schema of the spec file (sessions.yaml), for editor completion and checks'
		)
		.addHelpText(
			'after',
			`
The package ships the same schema as schema/sessions.schema.json. Point an editor at it with a
modeline on the first line of sessions.yaml:
  # yaml-language-server: $schema=./node_modules/coder-sessions/schema/sessions.schema.json`
		)
		.action(async () => {
			const { renderSpecJsonSchema } = await import('../actions/schema.js');
			await host.run(async (io) => {
				io.out(renderSpecJsonSchema());
				return ExitCode.Ok;
			});
		});
}
