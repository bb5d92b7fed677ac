/**
 * `plan --base REF`: plans the spec as it was at REF against the live sessions already read (no
 * further Hub reads) and attributes each action of the plan to the change or to the base.
 */
import { UserError } from '../core/errors.js';
import { STDIN_NAME } from '../spec/load.js';
import { envValueHashesFor } from '../plan/env/resolve.js';
import { planSessions } from '../plan/diff.js';
import { attributeOrigins, type BaseAttribution } from '../plan/origin.js';
import type { Plan } from '../plan/types.js';
import { summarizeSpecErrors } from '../spec/errors.js';
import { parseSpec } from '../spec/merge.js';
import { readVarOverrides } from '../spec/load.js';
import type { Spec } from '../kinds/session/desired.js';
import { readSpecAtRef } from './git-base.js';
import { withResolvedReferences } from './resource-planning.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import type { Environment } from './environment.js';
import type { PlanRequest } from './planning.js';
import type { LiveSession } from '../kinds/session/live.js';

/** The spec at the base, or why there is none to plan (every action is then the change's). */
export interface BaseSpec {
	readonly ref: string;
	readonly commit: string;
	readonly spec?: Spec;
	readonly note?: string;
}

const ALL_NEW = "every action counts as this change's";

/** Read before the Hub is: a bad ref fails without a Hub call. */
export async function loadBaseSpec(
	ref: string,
	files: readonly string[],
	environment: Environment
): Promise<BaseSpec> {
	if (files.includes(STDIN_NAME)) {
		throw new UserError(
			'--base reads the spec files at a git ref: it cannot with -f - (standard input)'
		);
	}
	const atRef = await readSpecAtRef(ref, files, environment.cwd, environment.env);
	const { commit } = atRef;
	if (atRef.unreadable.length > 0) {
		const which = atRef.unreadable.join(', ');
		return {
			ref,
			commit,
			note: `${which} at ${ref} is not a readable spec (not UTF-8 or too large): ${ALL_NEW}`,
		};
	}
	if (atRef.sources.length === 0) {
		return { ref, commit, note: `${ref} has no spec (${atRef.absent.join(', ')}): ${ALL_NEW}` };
	}
	// The same vars as the spec of the working tree: the base is planned as it would expand now.
	const vars = await readVarOverrides(environment.specVars, environment.cwd);
	const parsed = parseSpec(atRef.sources, undefined, vars.overrides);
	if (!parsed.ok) {
		const errors = summarizeSpecErrors(parsed.errors);
		return { ref, commit, note: `the spec at ${ref} is not valid (${errors}): ${ALL_NEW}` };
	}
	if (atRef.absent.length === 0) return { ref, commit, spec: parsed.spec };
	const absent = atRef.absent.join(', ');
	return {
		ref,
		commit,
		spec: parsed.spec,
		note: `${absent} did not exist at ${ref}: ${atRef.absent.length === 1 ? 'its' : 'their'} entries count as this change's`,
	};
}

/** Plans the base spec against the same live sessions and marks each action of the plan. */
export function attributeToBase(
	base: BaseSpec,
	plan: Plan,
	live: readonly LiveSession[],
	environment: Environment,
	request: PlanRequest,
	records: ReadonlyMap<string, readonly unknown[]> = new Map()
): BaseAttribution {
	// The base's sessions name other kinds as the spec's do: resolved against the same records.
	const baseSpec =
		base.spec && withResolvedReferences(base.spec, request.table ?? BUILT_IN_KINDS, records);
	const basePlan = baseSpec
		? planSessions(baseSpec, live, {
				only: request.only,
				envValueHashesBySession: envValueHashesFor(baseSpec, live, environment.env),
				takeOver: request.takeOver === true,
				replace: request.replace ?? [],
				destroy: request.destroy === true,
			})
		: undefined;
	return {
		ref: base.ref,
		commit: base.commit,
		origins: attributeOrigins(plan, basePlan),
		...(base.note ? { note: base.note } : {}),
	};
}
