/** The zsh completion script: one _arguments function per command, generated from the program. */
import { allCommands, type CompletionCommand, type CompletionOption } from './model.js';

export function zshScript(program: CompletionCommand, bin: string): string {
	const base = `_${bin.replace(/[^A-Za-z0-9]/g, '_')}`;
	const fnOf = (command: CompletionCommand) =>
		[base, ...command.path].join('_').replace(/[^A-Za-z0-9_]/g, '_');
	const functions = allCommands(program).map((command) => commandFunction(command, fnOf));
	return `#compdef ${bin}
# zsh completion for ${bin}; load it with: source <(${bin} completion zsh)
# (or save it as _${bin} in a directory of $fpath)
${functions.join('\n\n')}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	${fnOf(program)} "$@"
else
	compdef ${fnOf(program)} ${bin}
fi
`;
}

function commandFunction(
	command: CompletionCommand,
	fnOf: (command: CompletionCommand) => string
): string {
	const specs = command.options.map(optionSpec);
	if (command.subcommands.length === 0) {
		if (command.argumentChoices.length > 0) {
			specs.push(quote(`1:argument:(${command.argumentChoices.join(' ')})`));
		} else if (command.takesArguments) specs.push(`'*:file:_files'`);
		return `${fnOf(command)}() {\n\t_arguments -s \\\n\t\t${specs.join(' \\\n\t\t')}\n}`;
	}
	const entries = command.subcommands.map((sub) => quote(`${sub.name}:${sub.description}`));
	const dispatch = command.subcommands.map((sub) => `\t\t\t${sub.name}) ${fnOf(sub)} ;;`);
	return `${fnOf(command)}() {
	local curcontext="$curcontext" state line
	local -a subcommands
	_arguments -C -s \\
		${[...specs, `'1: :->command'`, `'*:: :->args'`].join(' \\\n\t\t')}
	case $state in
	command)
		subcommands=(${entries.join(' ')})
		_describe -t commands '${command.path.length === 0 ? 'command' : 'subcommand'}' subcommands
		;;
	args)
		case $line[1] in
${dispatch.join('\n')}
		esac
		;;
	esac
}`;
}

function optionSpec(option: CompletionOption): string {
	const description = `[${escapeBrackets(option.description)}]`;
	const value = !option.takesValue
		? ''
		: option.choices.length > 0
			? `:value:(${option.choices.join(' ')})`
			: `:value:_files`;
	if (option.flags.length === 1) return quote(`${option.flags[0]}${description}${value}`);
	const exclusive = `(${option.flags.join(' ')})`;
	return `${quote(exclusive)}{${option.flags.join(',')}}${quote(`${description}${value}`)}`;
}

function escapeBrackets(text: string): string {
	return text.replace(/[[\]]/g, (bracket) => `\\${bracket}`).replace(/:/g, '\\:');
}

/** Single-quoted for zsh. */
function quote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}
