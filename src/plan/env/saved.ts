/**
 * The env part of a saved plan. A saved plan holds no literal text of any env template: each
 * template keeps its `${VAR}` references and LITERAL_PLACEHOLDER where literal text sat. With
 * CODER_SESSIONS_ENV_KEY set, it also holds keyed digests of the values creates will send and of
 * the templates with literal text, so apply can tell that neither changed. Without the key it
 * holds no digest at all (a digest without a secret key could be tested against guesses).
 */
import type { SavedPlanEnv } from '../saved.js';
import { withoutPrior, type Plan } from '../types.js';
import { envTemplateKeyed, envValueKeyed } from '../../ownership/stamp.js';
import { envKeyOf, type EnvKey } from '../../core/secrets/env-key.js';
import { hasLiteralText, templateStructure } from '../../kinds/session/env-template.js';
import type { DesiredSession, Spec } from '../../kinds/session/desired.js';
import { resolveEntryEnv, type Environment } from './resolve.js';

export function savedPlanEnv(
	spec: Spec,
	plan: Plan,
	env: Environment,
	key: EnvKey | undefined
): SavedPlanEnv {
	if (!key) return { values: {}, templates: {} };
	const templates: Record<string, Record<string, string>> = {};
	for (const desired of spec.sessions) {
		const entry: Record<string, string> = {};
		for (const [envKey, template] of Object.entries(desired.env)) {
			if (hasLiteralText(template)) entry[envKey] = envTemplateKeyed(key, envKey, template);
		}
		if (Object.keys(entry).length > 0) templates[desired.key] = entry;
	}
	const values: Record<string, Record<string, string | null>> = {};
	for (const action of plan.actions) {
		if (action.kind !== 'create' && action.kind !== 'replace') continue;
		const resolved = resolveEntryEnv(action.desired, env).values;
		const entry: Record<string, string | null> = {};
		for (const envKey of Object.keys(action.desired.env)) {
			const value = resolved[envKey];
			entry[envKey] = value === undefined ? null : envValueKeyed(key, envKey, value);
		}
		if (Object.keys(entry).length > 0) values[action.key] = entry;
	}
	return { keyId: key.id, values, templates };
}

/** Env keys whose value now differs from the one the saved plan saw (keyed digests). */
export function changedSincePlan(
	saved: SavedPlanEnv,
	entryKey: string,
	values: Readonly<Record<string, string>>,
	key: EnvKey
): string[] {
	const changed: string[] = [];
	for (const [envKey, digest] of Object.entries(saved.values[entryKey] ?? {})) {
		const value = values[envKey];
		if (digest === null || value === undefined) continue;
		if (envValueKeyed(key, envKey, value) !== digest) changed.push(envKey);
	}
	return changed;
}

/** A spec entry with every env template reduced to its structure. */
export function withoutLiterals<T extends DesiredSession>(desired: T): T {
	const env = Object.fromEntries(
		Object.entries(desired.env).map(([envKey, template]) => [envKey, templateStructure(template)])
	);
	return { ...desired, env };
}

export function specWithoutLiterals(spec: Spec): Spec {
	return { ...spec, sessions: spec.sessions.map(withoutLiterals) };
}

/** The plan as saved: no literal env text, and no prior state (apply reads the Hub again). */
export function planWithoutLiterals(plan: Plan): Plan {
	return {
		...withoutPrior(plan),
		actions: plan.actions.map((action) => mapDesired(action, withoutLiterals)),
	};
}

/** The action with its spec entry (if it has one) passed through `map`. */
export function mapDesired<A extends Plan['actions'][number]>(
	action: A,
	map: (desired: DesiredSession) => DesiredSession
): A {
	return 'desired' in action && action.desired
		? { ...action, desired: map(action.desired) }
		: action;
}

/** What a saved plan stores of the spec, the plan and the env: no literal env text. */
export function savedPlanBody(spec: Spec, plan: Plan, env: Environment) {
	return {
		specFiles: spec.files,
		spec: specWithoutLiterals(spec),
		plan: planWithoutLiterals(plan),
		env: savedPlanEnv(spec, plan, env, envKeyOf(env)),
	};
}
