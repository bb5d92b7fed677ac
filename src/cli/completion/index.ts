import type { Command } from 'commander';
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { completionModel } from './model.js';
import { zshScript } from './zsh.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The completion script for `shell`, listing the program's commands, flags and values. */
export function completionScript(program: Command, shell: Shell): string {
	const model = completionModel(program);
	const bin = program.name();
	if (shell === 'bash') return bashScript(model, bin);
	if (shell === 'zsh') return zshScript(model, bin);
	return fishScript(model, bin);
}
