/** The vars a spec file declares under `vars:`, each with its default. Pure. */
import type { TemplateProblem } from './expand.js';
import { invalidVarName, isMapping, VAR_NAME_PATTERN, type VarValue } from './vars.js';

export function declaredVars(data: unknown): {
	readonly declared: Map<string, VarValue>;
	readonly problems: readonly TemplateProblem[];
} {
	const declared = new Map<string, VarValue>();
	const problems: TemplateProblem[] = [];
	const written = isMapping(data) ? data.vars : undefined;
	if (written === undefined) return { declared, problems };
	if (!isMapping(written)) {
		problems.push({
			path: ['vars'],
			message: 'expected a mapping of vars, each with its default (NAME: VALUE)',
		});
		return { declared, problems };
	}
	for (const [name, value] of Object.entries(written)) {
		if (!VAR_NAME_PATTERN.test(name)) {
			problems.push({ path: ['vars', name], target: 'key', message: invalidVarName(name) });
		} else if (value === null || value === undefined) {
			problems.push({
				path: ['vars', name],
				message: `var "${name}" has no default; give it one (--var and --var-file override it)`,
			});
		} else {
			declared.set(name, value);
		}
	}
	return { declared, problems };
}
