import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerHub } from './hub.js';
import { registerPlan } from './plan.js';
import { registerSchema } from './schema.js';
import { registerShow } from './show.js';
import { registerValidate } from './validate.js';

/** Each command lives in its own module and adds itself to the program. */
export function registerCommands(program: Command): void {
	registerValidate(program);
	registerSchema(program);
	registerPlan(program);
	registerApply(program);
	registerShow(program);
	registerHub(program);
}
