/**
 * Env variables a plan's creates and replaces need and the environment does not hold. Apply
 * stops on them before any write; plan names them first, at the entries that need them, so a
 * pull request fails where the apply after its merge would.
 */
import { fewOf } from '../../core/few.js';
import { SpecInvalidError } from '../../core/errors.js';
import type { SpecError } from '../../core/spec-error.js';
import type { Plan } from '../types.js';
import type { DesiredSession, SourceLocation } from '../../kinds/session/desired.js';
import { compareText } from '../../ownership/key-groups.js';
import { resolveEntryEnv, type Environment } from './resolve.js';

/** One env key of one entry whose template reads a variable that is not set. */
export interface MissingEnvNeed {
	/** The entry key. */
	readonly key: string;
	readonly envKey: string;
	/** What the plan does with the entry: both send its env to the Hub. */
	readonly action: 'create' | 'replace';
	/** Where the entry is declared. */
	readonly source: SourceLocation;
}

/** A variable that is not set, and every entry of the plan whose env needs it. */
export interface MissingEnvVariable {
	readonly name: string;
	readonly neededBy: readonly MissingEnvNeed[];
}

/** The unset variables the plan's creates and replaces need, by name; empty when none. */
export function missingEnvOf(plan: Plan, env: Environment): MissingEnvVariable[] {
	return missingEnvFor(
		plan.actions.flatMap((action) =>
			action.kind === 'create' || action.kind === 'replace'
				? [{ desired: action.desired, action: action.kind }]
				: []
		),
		env
	);
}

/**
 * The unset variables active entries of a spec read, whatever the Hub holds: what `validate`
 * can say offline. Only the creates and replaces a plan finds make one fail.
 */
export function unsetSpecVariables(
	sessions: readonly DesiredSession[],
	env: Environment
): MissingEnvVariable[] {
	return missingEnvFor(
		sessions
			.filter((desired) => desired.state === 'active')
			.map((desired) => ({ desired, action: 'create' as const })),
		env
	);
}

function missingEnvFor(
	entries: readonly { desired: DesiredSession; action: MissingEnvNeed['action'] }[],
	env: Environment
): MissingEnvVariable[] {
	const byName = new Map<string, MissingEnvNeed[]>();
	for (const { desired, action } of entries) {
		for (const missing of resolveEntryEnv(desired, env).missing) {
			const need = { key: desired.key, envKey: missing.envKey, action, source: desired.source };
			for (const name of missing.variables) byName.set(name, [...(byName.get(name) ?? []), need]);
		}
	}
	return [...byName.entries()]
		.sort(([a], [b]) => compareText(a, b))
		.map(([name, neededBy]) => ({ name, neededBy }));
}

/**
 * Notes name this many variables or entries and count the rest: a spec of thousands of entries
 * reading unset variables (a fork planned without the env secrets) keeps a note of a few lines,
 * and the pull-request comment that carries it within its limit.
 */
const NAMED_MAX = 10;

/** fewOf with the notes' bound. */
export const fewNamed = (items: readonly string[]): string => fewOf(items, NAMED_MAX);

const names = (missing: readonly MissingEnvVariable[]) => fewNamed(missing.map((m) => m.name));
const where = (need: MissingEnvNeed) => `${need.source.file}:${need.source.line}`;

/**
 * Why plan fails, one error per entry and variable at the entry's declaration (rendered
 * `sessions.yaml:4:3: sessions.docs.env.API_TOKEN: API_TOKEN is not set (docs is to be created
 * with this env)`), after a heading naming the variables.
 */
export function missingEnvError(
	missing: readonly MissingEnvVariable[],
	hint: string
): SpecInvalidError {
	const plural = missing.length === 1 ? 'variable' : 'variables';
	const errors = missing.flatMap((variable) =>
		variable.neededBy.map((need): SpecError => ({
			file: need.source.file,
			at: { line: need.source.line, column: need.source.column },
			path: ['sessions', need.key, 'env', need.envKey],
			message: `${variable.name} is not set (${need.key} is to be ${need.action === 'create' ? 'created' : 'replaced'} with this env)`,
		}))
	);
	const heading = `environment ${plural} ${names(missing)} not set: this plan creates or replaces sessions whose env needs ${missing.length === 1 ? 'it' : 'them'}, and apply would fail on ${missing.length === 1 ? 'it' : 'them'}`;
	return new SpecInvalidError(errors, { heading, hint });
}

/** The one note of a plan made with --allow-missing-env: what it cannot promise. */
export function missingEnvNote(missing: readonly MissingEnvVariable[]): string {
	const needs = new Map<string, MissingEnvNeed>();
	for (const variable of missing) {
		for (const need of variable.neededBy) needs.set(`${need.action} ${need.key}`, need);
	}
	const actions = [...needs.entries()].map(([what, need]) => `${what} (${where(need)})`);
	const verb = missing.length === 1 ? 'is' : 'are';
	return `note: ${names(missing)} ${verb} not set here (--allow-missing-env): this plan cannot promise ${fewNamed(actions)}, whose env needs ${missing.length === 1 ? 'it' : 'them'}; apply stops before any write unless ${missing.length === 1 ? 'it is' : 'they are'} set then`;
}

/** `validate`'s note: the variables the spec reads that are not set here (no error offline). */
export function unsetVariablesNote(missing: readonly MissingEnvVariable[]): string {
	const entries = [
		...new Map(
			missing.flatMap((variable) => variable.neededBy.map((need) => [need.key, need] as const))
		).values(),
	].map((need) => `${need.key} (${where(need)})`);
	const verb = missing.length === 1 ? 'is' : 'are';
	return `note: ${names(missing)} ${verb} not set here, and read by the env of ${fewNamed(entries)}: plan fails where it creates or replaces those sessions without ${missing.length === 1 ? 'it' : 'them'}`;
}
