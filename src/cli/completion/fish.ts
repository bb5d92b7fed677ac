/** The fish completion script: one `complete` line per command and option. */
import { allCommands, type CompletionCommand, type CompletionOption } from './model.js';

export function fishScript(program: CompletionCommand, bin: string): string {
	const lines = [
		`# fish completion for ${bin}; load it with: ${bin} completion fish | source`,
		`# (or save it as ~/.config/fish/completions/${bin}.fish)`,
		`complete -c ${bin} -f`,
	];
	for (const command of allCommands(program)) {
		const inside = condition(command);
		for (const sub of command.subcommands) {
			const names = command.subcommands.map((child) => child.name).join(' ');
			const when =
				command.path.length === 0
					? '__fish_use_subcommand'
					: `${inside}; and not __fish_seen_subcommand_from ${names}`;
			lines.push(
				`complete -c ${bin} -n ${quote(when)} -a ${sub.name} -d ${quote(sub.description)}`
			);
		}
		const own = command.path.length === 0 ? command.options : localOptions(command, program);
		for (const option of own) lines.push(optionLine(bin, inside, option));
		if (command.argumentChoices.length > 0) {
			const values = quote(command.argumentChoices.join(' '));
			lines.push(`complete -c ${bin} -n ${quote(inside)} -a ${values}`);
		} else if (command.takesArguments && command.subcommands.length === 0) {
			lines.push(`complete -c ${bin} -n ${quote(inside)} -F`);
		}
	}
	return `${lines.join('\n')}\n`;
}

/** The program's options are completed everywhere by the program's own lines. */
function localOptions(command: CompletionCommand, program: CompletionCommand): CompletionOption[] {
	const global = new Set(program.options.flatMap((option) => option.flags));
	return command.options.filter((option) => !option.flags.every((flag) => global.has(flag)));
}

function condition(command: CompletionCommand): string {
	return command.path.map((name) => `__fish_seen_subcommand_from ${name}`).join('; and ');
}

function optionLine(bin: string, when: string, option: CompletionOption): string {
	const parts = [`complete -c ${bin}`];
	if (when) parts.push(`-n ${quote(when)}`);
	for (const flag of option.flags) {
		parts.push(flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`);
	}
	if (option.takesValue) {
		parts.push(option.choices.length > 0 ? `-x -a ${quote(option.choices.join(' '))}` : '-r -F');
	}
	parts.push(`-d ${quote(option.description)}`);
	return parts.join(' ');
}

function quote(text: string): string {
	return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
