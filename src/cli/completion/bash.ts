/** The bash completion script: tables generated from the program, one function that reads them. */
import { allCommands, type CompletionCommand } from './model.js';

export function bashScript(program: CompletionCommand, bin: string): string {
	const fn = `_${bin.replace(/[^A-Za-z0-9]/g, '_')}`;
	const commands = allCommands(program);
	const table = (name: string, value: (command: CompletionCommand) => string) =>
		[
			`${fn}_${name}() {`,
			'\tcase "$1" in',
			...commands.map((command) => `\t'${command.path.join(' ')}') echo '${value(command)}' ;;`),
			'\tesac',
			'}',
		].join('\n');
	const choiceLines = commands.flatMap((command) =>
		command.options
			.filter((option) => option.choices.length > 0)
			.flatMap((option) =>
				option.flags.map(
					(flag) =>
						`\t'${[...command.path, flag].join(' ')}') echo '${option.choices.join(' ')}' ;;`
				)
			)
	);
	return `# bash completion for ${bin}; load it with: source <(${bin} completion bash)
${table('subcommands', (command) => command.subcommands.map((sub) => sub.name).join(' '))}
${table('options', (command) => command.options.flatMap((option) => option.flags).join(' '))}
${table('value_options', (command) =>
	command.options
		.filter((option) => option.takesValue)
		.flatMap((option) => option.flags)
		.join(' ')
)}
${table('files', (command) => (command.takesArguments ? 'yes' : ''))}
${table('arguments', (command) => command.argumentChoices.join(' '))}
${fn}_choices() {
	case "$1" in
${choiceLines.join('\n')}
	esac
}
${fn}() {
	local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path='' word i
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=\${COMP_WORDS[i]}
		if [[ " $(${fn}_value_options "$path") " == *" $word "* ]]; then
			((i++))
		elif [[ $word != -* && " $(${fn}_subcommands "$path") " == *" $word "* ]]; then
			path=\${path:+$path }$word
		fi
	done
	COMPREPLY=()
	if [[ $COMP_CWORD -gt 1 && " $(${fn}_value_options "$path") " == *" $prev "* ]]; then
		local choices
		choices=$(${fn}_choices "\${path:+$path }$prev")
		if [[ -n $choices ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
	elif [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(${fn}_options "$path")" -- "$cur")
	else
		local words
		words=$(${fn}_subcommands "$path")
		[[ -n $words ]] || words=$(${fn}_arguments "$path")
		if [[ -n $words ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		elif [[ -n $(${fn}_files "$path") ]]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
	fi
	return 0
}
complete -o default -F ${fn} ${bin}
`;
}
