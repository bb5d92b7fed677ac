/**
 * The machine-readable plan. The shape is versioned: fields may be added within a version, never
 * renamed or removed. Env values and templates are never copied: only env keys appear.
 */
import type { HubCallCounts } from '../hub/types.js';
import type { DesiredSession, Prune } from '../kinds/session/desired.js';
import type {
	Action,
	ActionKind,
	EnvKeyChange,
	FieldChange,
	Hazard,
	Json,
	PlanCounts,
	RemovalCounts,
} from '../plan/types.js';
import type { ActionOrigin } from '../plan/origin.js';
import type { PlanView } from './view.js';
import { refusedHazards } from '../plan/safety.js';
import { hasChanges } from '../plan/types.js';
import { FIELD_TABLE, type DesiredFields, type FieldName } from '../kinds/session/fields/index.js';
import { jsonText } from '../core/untrusted/json.js';
import { resourceJson, type PlanJsonResourcesV1 } from './resource-actions.js';

export type {
	PlanJsonResourceActionV1,
	PlanJsonResourceChangeV1,
	PlanJsonResourcesV1,
} from './resource-actions.js';

export const PLAN_JSON_FORMAT_VERSION = 1;

export interface PlanJsonChangeV1 {
	readonly field: FieldName;
	readonly before?: Json;
	readonly after?: Json;
	readonly envKeys?: readonly EnvKeyChange[];
	readonly viaDigest?: boolean;
}

/**
 * A DesiredSession without its source location and template (the action names its template),
 * and with env reduced to its keys.
 */
export type PlanJsonDesiredV1 = Omit<DesiredSession, 'env' | 'source' | 'template'> & {
	readonly envKeys: readonly string[];
};

export interface PlanJsonActionV1 {
	readonly kind: ActionKind;
	readonly key: string;
	/** For people; programs should branch on `kind`. */
	readonly reason: string;
	/** The template entry (forEach) the action's entry was expanded from; absent for a plain entry. */
	readonly template?: string;
	readonly sessionId?: string;
	readonly label?: string;
	readonly precondition?: string;
	readonly forcedBy?: readonly FieldName[];
	/** Replace: true when asked for with `--replace KEY` rather than forced by a field. */
	readonly requested?: true;
	/** Adopt, or a replace of an adopted session: the stack that owns the session now. */
	readonly foreignStack?: string;
	/**
	 * Adopt: true when the session is protected on the Hub and the entry does not say
	 * `protect: true`; the adopt keeps it protected, and a later plan shows the unprotect.
	 */
	readonly staysProtected?: true;
	/** Forget: the marker keys emptied (the Hub cannot delete a metadata key). */
	readonly markers?: readonly string[];
	/** Dedupe: the session id that stays. */
	readonly keep?: string;
	readonly changes?: readonly PlanJsonChangeV1[];
	readonly desired?: PlanJsonDesiredV1;
	/**
	 * With `plan --base REF` only: `change` when this change introduces the action, `base` when
	 * the spec at REF plans the same action with the same changes (Hub drift, or a base not yet
	 * applied).
	 */
	readonly origin?: ActionOrigin;
}

/** With `plan --base REF`: the base the actions' origins were found against. */
export interface PlanJsonBaseV1 {
	readonly ref: string;
	readonly commit: string;
	/** Why the base could not be planned; every action is then `change`. */
	readonly note?: string;
}

export interface PlanJsonV1 {
	readonly formatVersion: typeof PLAN_JSON_FORMAT_VERSION;
	readonly stack: string;
	readonly prune: Prune;
	readonly files: readonly string[];
	/** Keys given with --only; empty means every key. */
	readonly only: readonly string[];
	/** Present (true) when planned with --take-over. */
	readonly takeOver?: boolean;
	/** Present (true) when planned with --destroy: every action archives or leaves alone. */
	readonly destroy?: true;
	/** Keys given with --replace, when any. */
	readonly replace?: readonly string[];
	readonly fingerprint: string;
	readonly summary: Record<ActionKind, number>;
	/**
	 * The count `--allow-removals` must name: archives, deletes and replaces (each archives the
	 * session it replaces) of active sessions. Dedupes are not counted.
	 */
	readonly removals: number;
	/** `removals` by kind. */
	readonly removalsByKind: RemovalCounts;
	/** The spec's `allowRemovals`, when set: the removal count the removal rails let pass. */
	readonly allowRemovals?: number;
	/** Every hazard found, including those `allowRemovals` lifts. */
	readonly hazards: readonly Hazard[];
	/** The hazards apply refuses on (the plan exits 3 when there are any). */
	readonly refused: readonly Hazard[];
	readonly counts: PlanCounts;
	readonly hubCalls?: HubCallCounts;
	/** How the Hub's sessions were found, in one line. */
	readonly discovery?: string;
	/** Warnings about a saved plan that no longer matches the Hub. */
	readonly stale?: readonly string[];
	/** What planning noted on stderr, e.g. a check it skipped; empty when nothing. */
	readonly notes: readonly string[];
	readonly base?: PlanJsonBaseV1;
	/** Every action in plan order, noops included. */
	readonly actions: readonly PlanJsonActionV1[];
	/**
	 * The actions on the other kinds of the kind table, each with `resource` (its kind); present
	 * only when the table has kinds besides sessions.
	 */
	readonly resources?: PlanJsonResourcesV1;
}

export function toPlanJson(view: PlanView): PlanJsonV1 {
	const { plan, meta } = view;
	const base = meta.base;
	const summary: Record<ActionKind, number> = {
		create: 0,
		adopt: 0,
		update: 0,
		replace: 0,
		dedupe: 0,
		archive: 0,
		delete: 0,
		forget: 0,
		noop: 0,
	};
	for (const action of plan.actions) summary[action.kind] += 1;
	const resources = resourceJson(plan);
	return {
		formatVersion: PLAN_JSON_FORMAT_VERSION,
		stack: plan.stack,
		prune: plan.prune,
		files: [...meta.files],
		only: [...plan.only],
		...(plan.takeOver ? { takeOver: true } : {}),
		...(plan.destroy ? { destroy: true as const } : {}),
		...(plan.replace && plan.replace.length > 0 ? { replace: [...plan.replace] } : {}),
		fingerprint: plan.fingerprint,
		summary,
		removals: plan.removals,
		removalsByKind: plan.removalsByKind,
		...(plan.allowRemovals !== undefined ? { allowRemovals: plan.allowRemovals } : {}),
		hazards: plan.hazards,
		refused: hasChanges(plan) ? refusedHazards(plan) : [],
		counts: plan.counts,
		...(meta.hubCalls ? { hubCalls: meta.hubCalls } : {}),
		...(meta.discovery ? { discovery: meta.discovery } : {}),
		...(meta.stale && meta.stale.length > 0 ? { stale: [...meta.stale] } : {}),
		notes: [...(meta.notes ?? [])],
		...(base
			? {
					base: {
						ref: base.ref,
						commit: base.commit,
						...(base.note ? { note: base.note } : {}),
					},
				}
			: {}),
		actions: plan.actions.map((action, index) => {
			const json = actionJson(action);
			return base ? { ...json, origin: base.origins[index] ?? 'change' } : json;
		}),
		...(resources ? { resources } : {}),
	};
}

export function renderJson(view: PlanView): string {
	return `${jsonText(toPlanJson(view), 2)}\n`;
}

function actionJson(action: Action): PlanJsonActionV1 {
	const template = 'desired' in action ? action.desired.template : undefined;
	const base = {
		kind: action.kind,
		key: action.key,
		reason: action.reason,
		...(template !== undefined ? { template } : {}),
	};
	const live = 'live' in action && action.live ? action.live : undefined;
	const liveFields = live
		? { sessionId: live.id, label: live.label, precondition: live.precondition }
		: {};
	switch (action.kind) {
		case 'create':
			return {
				...base,
				...(action.desired.label !== undefined ? { label: action.desired.label } : {}),
				desired: desiredJson(action.desired),
			};
		case 'adopt':
		case 'update':
			return {
				...base,
				...liveFields,
				...(action.kind === 'adopt' && action.foreignStack
					? { foreignStack: action.foreignStack }
					: {}),
				...(action.kind === 'adopt' && action.staysProtected ? { staysProtected: true } : {}),
				changes: action.changes.map(changeJson),
				desired: desiredJson(action.desired),
			};
		case 'replace':
			return {
				...base,
				...liveFields,
				forcedBy: action.forcedBy,
				...(action.requested ? { requested: true } : {}),
				...(action.foreignStack ? { foreignStack: action.foreignStack } : {}),
				changes: action.changes.map(changeJson),
				desired: desiredJson(action.desired),
			};
		case 'dedupe':
			return { ...base, ...liveFields, keep: action.keep };
		case 'forget':
			return { ...base, ...liveFields, markers: [...action.markers] };
		default:
			return { ...base, ...liveFields };
	}
}

/** Copied field by field: a value that is not part of the documented shape cannot slip through. */
function changeJson(change: FieldChange): PlanJsonChangeV1 {
	if (change.field === 'env') {
		return {
			field: 'env',
			...(change.envKeys
				? { envKeys: change.envKeys.map(({ key, change: c }) => ({ key, change: c })) }
				: {}),
			...(change.viaDigest !== undefined ? { viaDigest: change.viaDigest } : {}),
		};
	}
	return {
		field: change.field,
		...(change.before !== undefined ? { before: change.before } : {}),
		...(change.after !== undefined ? { after: change.after } : {}),
		...(change.envKeys ? { envKeys: change.envKeys } : {}),
		...(change.viaDigest !== undefined ? { viaDigest: change.viaDigest } : {}),
	};
}

/**
 * The entry's own settings, copied by name, not spread: a property added to DesiredSession
 * outside the field table is a compile error here until someone decides whether it is safe to
 * print. Fields come from the table, all but those shown by key only (env).
 */
const ENTRY_SETTINGS: Record<
	Exclude<keyof DesiredSession, keyof DesiredFields | 'source' | 'template'>,
	true
> = {
	key: true,
	state: true,
	protect: true,
	ignoreChanges: true,
	adopt: true,
	takeOver: true,
};

const PRINTED_FIELDS: readonly string[] = [
	'key',
	...FIELD_TABLE.filter((row) => row.render !== 'secret').map((row) => row.name),
	...Object.keys(ENTRY_SETTINGS).filter((name) => name !== 'key'),
];

function desiredJson(desired: DesiredSession): PlanJsonDesiredV1 {
	const out: Record<string, unknown> = {};
	const values = desired as unknown as Readonly<Record<string, unknown>>;
	for (const field of PRINTED_FIELDS) {
		if (values[field] !== undefined) out[field] = values[field];
	}
	return {
		...(out as Omit<PlanJsonDesiredV1, 'envKeys'>),
		envKeys: Object.keys(desired.env).sort(),
	};
}
