/**
 * `plan sessions.yaml`: a spec named as an argument (as `fmt` takes it, or as other tools do) is
 * answered with the -f it needs instead of commander's "too many arguments".
 */
import type { Command } from 'commander';
import { ExitCode } from '../core/exit-code.js';
import { findCommand } from './help-examples.js';

/** The commands that read the spec from -f and take no arguments; whether they take --only. */
const SPEC_COMMANDS: Readonly<Record<string, boolean>> = {
	validate: false,
	render: false,
	plan: true,
	status: true,
	drift: true,
};

const SPEC_FILE = /\.ya?ml$/i;

export function suggestFileFlag(program: Command): void {
	for (const [name, takesOnly] of Object.entries(SPEC_COMMANDS)) {
		const command = findCommand(program, [name]);
		if (!command) continue;
		command.allowExcessArguments(true).hook('preAction', (self) => {
			if (self.args.length === 0) return;
			const args = self.args;
			const how = args.every((arg) => SPEC_FILE.test(arg))
				? `name spec files with -f (coder-sessions ${name} ${args.map((arg) => `-f ${arg}`).join(' ')})`
				: takesOnly
					? `name entries with --only (coder-sessions ${name} ${args.map((arg) => `--only ${arg}`).join(' ')}), spec files with -f FILE`
					: 'name spec files with -f FILE';
			self.error(`error: ${name} takes no arguments: ${how}`, {
				exitCode: ExitCode.Error,
				code: 'coder-sessions.spec-argument',
			});
		});
	}
}
