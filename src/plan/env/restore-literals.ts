/**
 * A saved plan holds no literal env text, so apply reads it back from the spec files the plan
 * was made from, and checks it is what was planned: by the keyed digest when the key the plan
 * was made with is set, else by structure alone (the caller says so). Pure.
 */
import type { SavedPlan } from '../saved.js';
import { envTemplateKeyed } from '../../ownership/stamp.js';
import type { EnvKey } from '../../core/secrets/env-key.js';
import { isStructureOnly, templateStructure } from '../../kinds/session/env-template.js';
import type { DesiredSession, Spec } from '../../kinds/session/desired.js';
import { mapDesired } from './saved.js';

export type RestoredLiterals =
	| { readonly ok: true; readonly saved: SavedPlan; readonly unchecked: readonly string[] }
	| { readonly ok: false; readonly problems: readonly string[] };

/** Whether any env template of the saved plan had literal text left out. */
export function needsLiterals(saved: SavedPlan): boolean {
	return saved.spec.sessions.some((desired) => Object.values(desired.env).some(isStructureOnly));
}

export function restoreLiterals(
	saved: SavedPlan,
	source: Spec,
	key: EnvKey | undefined
): RestoredLiterals {
	const sourceEntries = new Map(source.sessions.map((desired) => [desired.key, desired]));
	const checked = key !== undefined && saved.env.keyId === key.id;
	const problems = new Set<string>();
	const unchecked = new Set<string>();
	const restore = (desired: DesiredSession): DesiredSession => {
		const env: Record<string, string> = { ...desired.env };
		for (const [envKey, stored] of Object.entries(desired.env)) {
			if (!isStructureOnly(stored)) continue;
			const where = `${desired.key}.env.${envKey}`;
			const template = sourceEntries.get(desired.key)?.env[envKey];
			if (template === undefined) {
				problems.add(`${where} is not in the spec any more`);
			} else if (templateStructure(template) !== stored) {
				problems.add(`${where} has another template than when the plan was made`);
			} else if (!checked) {
				unchecked.add(where);
			} else if (
				saved.env.templates[desired.key]?.[envKey] !== envTemplateKeyed(key!, envKey, template)
			) {
				problems.add(`${where} has other literal text than when the plan was made`);
			}
			if (template !== undefined) env[envKey] = template;
		}
		return { ...desired, env };
	};
	const spec = { ...saved.spec, sessions: saved.spec.sessions.map(restore) };
	const plan = { ...saved.plan, actions: saved.plan.actions.map((a) => mapDesired(a, restore)) };
	if (problems.size > 0) return { ok: false, problems: [...problems] };
	return { ok: true, saved: { ...saved, spec, plan }, unchecked: [...unchecked] };
}
