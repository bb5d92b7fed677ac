/** Terraform's `-target` has a coder-sessions name: say it instead of "unknown option". */
import { Option, type Command } from 'commander';
import { ExitCode } from '../core/exit-code.js';
import { findCommand } from './help-examples.js';

const COMMANDS_WITH_ONLY = ['plan', 'apply'];

export function suggestOnlyForTarget(program: Command): void {
	for (const name of COMMANDS_WITH_ONLY) {
		const command = findCommand(program, [name]);
		if (!command) continue;
		command.addOption(new Option('--target <key>').hideHelp()).hook('preAction', (self) => {
			const target = self.opts<{ target?: string }>().target;
			if (target === undefined) return;
			self.error(
				`error: coder-sessions has no --target; select entries with --only KEY (repeatable), e.g. ${name} --only ${target}`,
				{ exitCode: ExitCode.Error, code: 'coder-sessions.target' }
			);
		});
	}
}
