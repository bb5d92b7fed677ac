import { Argument, type Command } from 'commander';
import { completionScript, SHELLS, type Shell } from '../completion/index.js';
import { ExitCode } from '../../core/exit-code.js';
import type { CommandHost } from '../run.js';

export function registerCompletion(program: Command, host: CommandHost): void {
	program
		.command('completion')
		.addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
		.description('Print a shell completion script (commands, flags and their values)')
		.addHelpText(
			'after',
			`
Examples:
  source <(coder-sessions completion bash)     # in ~/.bashrc
  source <(coder-sessions completion zsh)      # in ~/.zshrc, after compinit
  coder-sessions completion fish > ~/.config/fish/completions/coder-sessions.fish`
		)
		.action(async (shell: Shell) => {
			await host.run(async (io) => {
				io.out(completionScript(program, shell));
				return ExitCode.Ok;
			});
		});
}
