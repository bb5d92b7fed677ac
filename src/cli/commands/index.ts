import type { Command } from 'commander';
import { withDiagnostics } from '../diagnostics.js';
import { addHelpExamples } from '../help-examples.js';
import type { CommandHost } from '../run.js';
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

/**
 * Each command lives in its own module and adds itself to the program: its flags and help alone;
 * what it does loads when it runs. `args`, the command line, says which command it is about.
 */
export async function registerCommands(
	program: Command,
	processHost: CommandHost,
	args: readonly string[]
): Promise<void> {
	const host = withDiagnostics(program, processHost);
	registerValidate(program, host);
	registerSchema(program, host);
	registerFmt(program, host);
	registerRender(program, host);
	registerPlan(program, host);
	registerApply(program, host);
	registerShow(program, host);
	registerExport(program, host);
	registerImport(program, host);
	registerForget(program, host);
	registerStatus(program, host);
	const drift = registerDrift(program, host);
	registerHub(program, host);
	registerCompletion(program, host);
	addHelpExamples(program);
	suggestOnlyForTarget(program);
	if (commandNamed(args) === 'drift') await addDriftHelp(drift);
}

/** The command a line runs or asks help for (`help drift`, `drift --help`): its first word. */
function commandNamed(args: readonly string[]): string | undefined {
	const words = args.filter((arg) => !arg.startsWith('-'));
	return words[0] === 'help' ? words[1] : words[0];
}
