/**
 * A saved plan: the spec it was computed from, the plan, and the env digests it can be checked
 * with (see env/saved-env.ts). It holds no secret: env templates keep their `${VAR}` references
 * only (literal text is read back from the spec files at apply), digests are keyed.
 */
import * as z from 'zod';
import { UserError } from '../core/errors.js';
import type { Spec } from '../kinds/session/desired.js';
import type { Plan } from './types.js';

/** Env as it was at plan time, by keyed digest only: apply checks it is unchanged. */
export interface SavedPlanEnv {
	/** The id of the key the digests were made with; absent (and no digests) without a key. */
	readonly keyId?: string;
	/** Per entry key and env key: the keyed digest of the value at plan time, null when unset then. */
	readonly values: Record<string, Record<string, string | null>>;
	/** Per entry key and env key with literal text: the keyed digest of the template. */
	readonly templates: Record<string, Record<string, string>>;
}

export const SAVED_PLAN_KIND = 'coder-sessions/plan';
export const SAVED_PLAN_VERSION = 2;

export interface SavedPlanTarget {
	readonly url?: string;
	readonly org?: string;
	readonly local: boolean;
	/** The region the Hub was discovered in, when no URL names it. */
	readonly region?: string;
}

/** A check `plan` was told to skip (`--no-repo-check`, `--no-reference-check`). */
export type SkippedCheck = 'repo' | 'reference';

export interface SavedPlan {
	readonly kind: typeof SAVED_PLAN_KIND;
	readonly formatVersion: typeof SAVED_PLAN_VERSION;
	readonly createdAt: string;
	readonly target: SavedPlanTarget;
	/** The spec files the plan was made from, as given: apply reads literal env text from them. */
	readonly specFiles: readonly string[];
	readonly spec: Spec;
	readonly plan: Plan;
	readonly env: SavedPlanEnv;
	/**
	 * The checks the plan was made without: apply carries out the plan as it was reviewed, so it
	 * skips them too. Absent in a plan saved before this was recorded (apply then runs both).
	 */
	readonly skippedChecks?: readonly SkippedCheck[];
}

const SavedPlanShape = z.looseObject({
	kind: z.literal(SAVED_PLAN_KIND),
	formatVersion: z.number(),
	createdAt: z.string(),
	target: z.looseObject({
		local: z.boolean(),
		url: z.string().optional(),
		org: z.string().optional(),
		region: z.string().optional(),
	}),
	spec: z.looseObject({ stack: z.string(), sessions: z.array(z.looseObject({ key: z.string() })) }),
	plan: z.looseObject({
		stack: z.string(),
		fingerprint: z.string(),
		actions: z.array(z.looseObject({ kind: z.string() })),
	}),
	specFiles: z.array(z.string()),
	skippedChecks: z.array(z.enum(['repo', 'reference'])).optional(),
	env: z.looseObject({
		keyId: z.string().optional(),
		values: z.record(z.string(), z.record(z.string(), z.string().nullable())),
		templates: z.record(z.string(), z.record(z.string(), z.string())),
	}),
});

export function serializeSavedPlan(saved: SavedPlan): string {
	return `${JSON.stringify(saved, null, 2)}\n`;
}

export function parseSavedPlan(text: string, file: string): SavedPlan {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new UserError(
			/\.ya?ml$/i.test(file)
				? `${file}: not a saved plan; to apply a spec, give it with -f: \`coder-sessions apply -f ${file}\``
				: `${file}: not a saved plan (not JSON); make one with \`coder-sessions plan --out PLANFILE\``
		);
	}
	const kind = (value as { kind?: unknown } | null)?.kind;
	if (kind !== SAVED_PLAN_KIND) {
		throw new UserError(
			`${file}: not a saved plan; make one with \`coder-sessions plan --out PLANFILE\``
		);
	}
	const version = (value as { formatVersion?: unknown }).formatVersion;
	if (version !== SAVED_PLAN_VERSION) {
		throw new UserError(
			`${file}: saved plan format ${String(version)} is not supported by this version (expects ${SAVED_PLAN_VERSION})`
		);
	}
	const parsed = SavedPlanShape.safeParse(value);
	if (!parsed.success)
		throw new UserError(
			`${file}: the saved plan is damaged (${parsed.error.issues[0]?.path.join('.') ?? 'shape'})`
		);
	return value as SavedPlan;
}
