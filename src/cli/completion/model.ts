/** What a shell needs to complete coder-sessions, read from the commander program itself. */
import type { Command, Option } from 'commander';

export interface CompletionOption {
	/** e.g. ['-f', '--file']. */
	readonly flags: readonly string[];
	readonly description: string;
	/** The option takes a value (the next word). */
	readonly takesValue: boolean;
	/** The values it accepts, when commander knows them (--format). */
	readonly choices: readonly string[];
}

export interface CompletionCommand {
	readonly name: string;
	/** Names from the program down, e.g. ['hub', 'serve']; empty for the program. */
	readonly path: readonly string[];
	readonly description: string;
	readonly options: readonly CompletionOption[];
	readonly subcommands: readonly CompletionCommand[];
	/** It takes positional arguments (files, plan files): the shell offers files. */
	readonly takesArguments: boolean;
	/** The values its first argument accepts, when commander knows them (completion's shells). */
	readonly argumentChoices: readonly string[];
}

/** The program and its visible commands and options; options of the program apply everywhere. */
export function completionModel(program: Command): CompletionCommand {
	return describeCommand(program, [], []);
}

function describeCommand(
	command: Command,
	path: readonly string[],
	inherited: readonly CompletionOption[]
): CompletionCommand {
	const help = command.createHelp();
	const own = help.visibleOptions(command).map(describeOption);
	const options = mergeOptions(own, inherited);
	const global = path.length === 0 ? own.filter((option) => !isHelpOrVersion(option)) : inherited;
	return {
		name: command.name(),
		path,
		description: firstSentence(command.summary() || command.description()),
		options,
		subcommands: help
			.visibleCommands(command)
			.filter((child) => child.name() !== 'help')
			.map((child) => describeCommand(child, [...path, child.name()], global)),
		takesArguments: command.registeredArguments.length > 0,
		argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
	};
}

function describeOption(option: Option): CompletionOption {
	return {
		flags: [option.short, option.long].filter((flag): flag is string => flag !== undefined),
		description: firstSentence(option.description),
		takesValue: option.required || option.optional,
		choices: option.argChoices ?? [],
	};
}

function mergeOptions(
	own: readonly CompletionOption[],
	inherited: readonly CompletionOption[]
): CompletionOption[] {
	const seen = new Set(own.flatMap((option) => option.flags));
	return [...own, ...inherited.filter((option) => !option.flags.some((flag) => seen.has(flag)))];
}

function isHelpOrVersion(option: CompletionOption): boolean {
	return option.flags.some((flag) => flag === '--help' || flag === '--version');
}

/** One line for a menu: the text up to the first sentence end, parentheses and all. */
function firstSentence(text: string): string {
	const line = text.split('\n')[0] ?? '';
	const end = line.search(/[.;](\s|$)/);
	return (end === -1 ? line : line.slice(0, end)).trim();
}

/** Every command below (and including) this one, depth first. */
export function allCommands(command: CompletionCommand): CompletionCommand[] {
	return [command, ...command.subcommands.flatMap(allCommands)];
}
