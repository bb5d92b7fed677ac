import type { Command } from 'commander';
import { withDiagnostics } from '../diagnostics.js';
import { addHelpExamples } from '../help-examples.js';
import type { CommandHost } from '../run.js';
import { suggestFileFlag } from '../spec-argument.js';
import { suggestOnlyForTarget } from '../target-flag.js';
import { registerApply } from './apply.js';
import { registerCompletion } from './completion.js';
import { addDriftHelp, registerDrift } from './drift.js';
import { registerExport } from './export.js';
import { registerFmt } from './fmt.js';
import { registerForget } from './forget.js';
import { registerHub } from './hub.js';
import { registerImport } from './import.js';
import { registerPlan } from './plan.js';
import { registerRender } from './render.js';
import { registerSchema } from './schema.js';
import { registerShow } from './show.js';
import { registerStatus } from './status.js';
import { registerValidate } from './validate.js';

/** Each command adds itself to the program: its flags and help alone. */
const REGISTER: Readonly<Record<string, (program: Command, host: CommandHost) => unknown>> = {
	validate: registerValidate,
	schema: registerSchema,
	fmt: registerFmt,
	render: registerRender,
	plan: registerPlan,
	apply: registerApply,
	show: registerShow,
	export: registerExport,
	import: registerImport,
	forget: registerForget,
	status: registerStatus,
	drift: registerDrift,
	hub: registerHub,
	completion: registerCompletion,
};

/**
 * Each command lives in its own module and adds itself to the program; what it does loads when
 * it runs. `args`, the command line, says which command it is about: a line that names one
 * registers that one alone (the others' flags and help are never read); any other line (the
 * program's help, a mistyped command, which needs every name to suggest one) and `completion`
 * register them all.
 */
export async function registerCommands(
	program: Command,
	processHost: CommandHost,
	args: readonly string[]
): Promise<void> {
	const host = withDiagnostics(program, processHost);
	const named = commandNamed(args);
	// `completion` describes every command.
	const only =
		named !== undefined && named !== 'completion' && Object.hasOwn(REGISTER, named)
			? named
			: undefined;
	for (const [name, register] of Object.entries(REGISTER))
		if (only === undefined || name === only) register(program, host);
	addHelpExamples(program);
	suggestOnlyForTarget(program);
	suggestFileFlag(program);
	const drift = program.commands.find((command) => command.name() === 'drift');
	if (named === 'drift' && drift) await addDriftHelp(drift);
}

/** The command a line runs or asks help for (`help drift`, `drift --help`): its first word. */
function commandNamed(args: readonly string[]): string | undefined {
	const words = args.filter((arg) => !arg.startsWith('-'));
	return words[0] === 'help' ? words[1] : words[0];
}
