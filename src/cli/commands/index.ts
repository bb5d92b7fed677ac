import type { Command } from 'commander';
import { addDiagnostics } from '../diagnostics.js';
import { addHelpExamples } from '../help-examples.js';
import { suggestOnlyForTarget } from '../target-flag.js';
import { registerApply } from './apply.js';
import { registerCompletion } from './completion.js';
import { registerDrift } from './drift.js';
import { registerExport } from './export.js';
import { registerFmt } from './fmt.js';
import { registerHub } from './hub.js';
import { registerImport } from './import.js';
import { registerPlan } from './plan.js';
import { registerSchema } from './schema.js';
import { registerShow } from './show.js';
import { registerStatus } from './status.js';
import { registerValidate } from './validate.js';

/** Each command lives in its own module and adds itself to the program. */
export function registerCommands(program: Command): void {
	addDiagnostics(program);
	registerValidate(program);
	registerSchema(program);
	registerFmt(program);
	registerPlan(program);
	registerApply(program);
	registerShow(program);
	registerExport(program);
	registerImport(program);
	registerStatus(program);
	registerDrift(program);
	registerHub(program);
	registerCompletion(program);
	addHelpExamples(program);
	suggestOnlyForTarget(program);
}
