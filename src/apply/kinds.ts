/**
 * Carries out the actions on the other kinds of the kind table through each row's store, level
 * by level: creates, updates and replaces going up the levels, deletes (with the records the
 * replaces recreated) coming down. The actions of one level run in parallel, each after the
 * entries it references in the same level. Keys are resolved to the handles of the records
 * they name just before each write: the ids of records this run created are known only then.
 * An action whose dependency did not succeed is not attempted. A record that must settle (a
 * workspace's snapshot) is waited for before its action counts as applied, so nothing that
 * stands on it is built too early.
 */
import pLimit from 'p-limit';
import {
	resourceRows,
	type AnyResourceKindRow,
	type KindTable,
	type KindValues,
} from '../kinds/kind.js';
import type { HubWriter } from '../hub/types.js';
import type { ResourceAction } from '../plan/types.js';
import { HubUnavailableError, inFlightWhen } from '../hub/errors.js';
import type { ApplyEvent, ResourceOutcome } from './events.js';
import { waitToSettle, type SettleOptions } from './settle.js';

export type ResourceStep = 'build' | 'remove';

export interface ResourceApplyOptions {
	readonly stack: string;
	readonly parallelism: number;
	/** `build`: creates, updates and replaces (lowest level first); `remove`: deletes (highest first). */
	readonly step: ResourceStep;
	/** Only the actions of these levels. */
	readonly levels: (level: number) => boolean;
	/** Qualified keys whose action did not succeed; this run's failures are added. */
	readonly failed: Set<string>;
	/** The ids of records this run created, by qualified key; this run's creates are added. */
	readonly created: Map<string, string>;
	/** Keys of the sessions whose action did not succeed (the removals step only). */
	readonly failedSessions?: ReadonlySet<string>;
	/** Each action as it starts and finishes (an action not attempted only finishes). */
	readonly onEvent?: (event: ApplyEvent) => void;
	readonly settle?: SettleOptions;
}

const BUILDS = new Set(['create', 'update', 'replace']);

export async function applyResourceActions(
	actions: readonly ResourceAction[],
	table: KindTable,
	hub: HubWriter,
	options: ResourceApplyOptions
): Promise<ResourceOutcome[]> {
	const wanted = actions.filter(
		(action) =>
			options.levels(action.level) &&
			(options.step === 'build'
				? BUILDS.has(action.kind) || action.settling === true
				: action.kind === 'delete')
	);
	const levels = [...new Set(wanted.map((action) => action.level))].sort((a, b) =>
		options.step === 'build' ? a - b : b - a
	);
	const limit = pLimit(options.parallelism);
	const outcomes: ResourceOutcome[] = [];
	for (const level of levels) {
		const phase = wanted.filter((action) => action.level === level);
		const finished = new Map<string, Promise<unknown>>();
		const run = async (action: ResourceAction): Promise<ResourceOutcome> => {
			// Entries of the same level it references go first (awaited outside the limit, so a
			// waiting action holds no slot its dependency needs).
			await Promise.all((action.dependsOn ?? []).map((key) => finished.get(key)));
			const outcome = await limit(() => applyOne(action, table, hub, options));
			if (outcome.status !== 'applied') options.failed.add(action.qualifiedKey);
			else if (outcome.id !== undefined && action.kind !== 'delete' && action.kind !== 'update')
				options.created.set(action.qualifiedKey, outcome.id);
			// A wait that ended well changed nothing: no line for it.
			if (action.kind !== 'noop' || outcome.status !== 'applied')
				options.onEvent?.({ type: 'resource-finish', outcome });
			return outcome;
		};
		const running = phase.map((action) => {
			const promise = run(action);
			finished.set(action.qualifiedKey, promise);
			return promise;
		});
		outcomes.push(...(await Promise.all(running)));
	}
	return outcomes;
}

/** The desired values with each reference resolved to handles, or the entries still unknown. */
export function resolvedValues(
	action: ResourceAction,
	created: ReadonlyMap<string, string>
): { readonly values: KindValues } | { readonly missing: string[] } {
	const values: Record<string, unknown> = { ...(action.desired ?? {}) };
	const missing: string[] = [];
	for (const [field, references] of Object.entries(action.references ?? {})) {
		const handles = references.map((reference) => {
			const handle =
				reference.handle ?? (reference.entry ? created.get(reference.entry) : undefined);
			if (handle === undefined) missing.push(reference.entry ?? reference.value);
			return handle;
		});
		values[field] = Array.isArray(action.desired?.[field]) ? handles : handles[0];
	}
	return missing.length > 0 ? { missing } : { values };
}

async function applyOne(
	action: ResourceAction,
	table: KindTable,
	hub: HubWriter,
	options: ResourceApplyOptions
): Promise<ResourceOutcome> {
	if (hub.unavailable) return { action, status: 'not-attempted' };
	const blocked = (action.dependsOn ?? []).filter((key) => options.failed.has(key));
	if (blocked.length > 0) {
		return {
			action,
			status: 'not-attempted',
			message: `depends on ${blocked.join(', ')}, which did not succeed`,
		};
	}
	const stillNaming = stillNamedBy(action, options);
	if (stillNaming.length > 0) {
		return {
			action,
			status: 'not-attempted',
			message: `depends on ${stillNaming.join(', ')}, which did not succeed and still ${stillNaming.length === 1 ? 'names' : 'name'} it`,
		};
	}
	const row = resourceRows(table).find((each) => each.name === action.resource);
	if (!row || !hub.kindStore) {
		return { action, status: 'failed', message: `no store for kind ${action.resource}` };
	}
	const resolved = resolvedValues(action, options.created);
	if ('missing' in resolved) {
		return {
			action,
			status: 'not-attempted',
			message: `references ${resolved.missing.join(', ')}, which this run did not create`,
		};
	}
	const store = hub.kindStore(row);
	if (action.kind === 'noop') {
		// Nothing to write: only wait for the Hub to finish preparing the record.
		try {
			return await settled(row, action, action.id!, store, options);
		} catch (error) {
			return {
				action,
				status: 'failed',
				message: error instanceof Error ? error.message : String(error),
			};
		}
	}
	options.onEvent?.({ type: 'resource-start', action });
	const owner = {
		stack: options.stack,
		key: action.key,
		...(action.protect ? { protect: true } : {}),
	};
	const desired = resolved.values;
	try {
		if (action.id !== undefined && REREAD.has(action.kind)) {
			const moved = await movedSincePlan(row, action, store, options.stack);
			// A record to delete that is gone already is done.
			if (moved === GONE && action.kind === 'delete')
				return { action, status: 'applied', id: action.id };
			if (moved !== undefined) {
				return {
					action,
					status: 'conflict',
					id: action.id,
					message: `changed by another writer since the plan (${moved}); not written`,
				};
			}
		}
		switch (action.kind) {
			case 'create': {
				const { id } = await store.create(row.createInput(owner, desired));
				return await settled(row, action, id, store, options);
			}
			case 'update': {
				const changes = action.changes ?? [];
				// No field differs (an adoption, a draft not published): every desired value is sent.
				const changed =
					changes.length > 0
						? Object.fromEntries(changes.map((change) => [change.field, desired[change.field]]))
						: desired;
				await store.update(action.id!, row.updateInput(owner, changed, desired));
				const restarts = changes.some((change) => row.settle?.fields.includes(change.field));
				return restarts
					? await settled(row, action, action.id!, store, options)
					: { action, status: 'applied', id: action.id! };
			}
			case 'replace': {
				// The new record only: the old one goes in the removals step, once what names it
				// moved onto the new one (replacedRecordRemoval). A failed create leaves it in place.
				const created = await store.create(row.createInput(owner, desired));
				return await settled(row, action, created.id, store, options);
			}
			case 'delete':
				await store.remove(action.id!);
				return { action, status: 'applied', id: action.id! };
			default:
				return { action, status: 'skipped' };
		}
	} catch (error) {
		// In flight when the Hub stopped answering: it may or may not have happened.
		if (error instanceof HubUnavailableError)
			return { action, status: 'unknown', message: inFlightWhen(error) };
		return {
			action,
			status: 'failed',
			message: error instanceof Error ? error.message : String(error),
		};
	}
}

/**
 * The writes that were to take something off the record this removal deletes and did not
 * succeed: what they still name keeps it. The removals run after every write but the removals
 * of higher levels, which are done by then.
 */
function stillNamedBy(action: ResourceAction, options: ResourceApplyOptions): string[] {
	if (action.kind !== 'delete') return [];
	return [
		...(action.movedOffBy ?? []).filter((key) => options.failed.has(key)),
		...(action.sessionsMovingOff ?? [])
			.filter((key) => options.failedSessions?.has(key))
			.map((key) => `session ${key}`),
	];
}

/**
 * The deletion of the record a replace recreated, once its new record stands: carried out in the
 * removals step like any delete, waiting for the same writes.
 */
export function replacedRecordRemoval(
	replace: ResourceAction,
	newId: string,
	table: KindTable
): ResourceAction {
	const deleteVerb = resourceRows(table).find((row) => row.name === replace.resource)?.deleteVerb;
	return {
		kind: 'delete',
		resource: replace.resource,
		key: replace.key,
		qualifiedKey: replace.qualifiedKey,
		level: replace.level,
		id: replace.id!,
		keeps: newId,
		reason: `the record replaced (${newId} stays)`,
		...(deleteVerb ? { verb: deleteVerb } : {}),
		...(replace.liveProtect ? { liveProtect: true as const } : {}),
		...(replace.unmarked ? { unmarked: true as const } : {}),
		...(replace.movedOffBy ? { movedOffBy: replace.movedOffBy } : {}),
		...(replace.sessionsMovingOff ? { sessionsMovingOff: replace.sessionsMovingOff } : {}),
	};
}

/** The writes to a record the plan saw, which read it again first (as a session's do). */
const REREAD = new Set(['update', 'replace', 'delete']);
const GONE = 'deleted';

/**
 * Why the record is no longer what the plan saw (another writer forgot it, or took it into
 * another stack or key, or removed it), or undefined when it is still this entry's. The Hub
 * has no compare-and-set: this narrows the window to the moment between this read and the write.
 */
async function movedSincePlan(
	row: AnyResourceKindRow,
	action: ResourceAction,
	store: ReturnType<NonNullable<HubWriter['kindStore']>>,
	stack: string
): Promise<string | undefined> {
	const record = (await store.list()).find((each) => row.idOf(each) === action.id);
	if (record === undefined) return GONE;
	const owner = row.ownerOf(record);
	if (owner === undefined)
		return action.unmarked ? undefined : 'forgotten: its ownership marker was removed';
	if (owner.stack !== stack) return `adopted as ${owner.key} of stack ${owner.stack}`;
	if (owner.key !== action.key) return `now key ${owner.key}`;
	return undefined;
}

async function settled(
	row: AnyResourceKindRow,
	action: ResourceAction,
	id: string,
	store: ReturnType<NonNullable<HubWriter['kindStore']>>,
	options: ResourceApplyOptions
): Promise<ResourceOutcome> {
	if (!row.settle) return { action, status: 'applied', id };
	const problem = await waitToSettle(row, id, store, {
		...options.settle,
		onProgress: (words) => options.onEvent?.({ type: 'resource-progress', action, words }),
	});
	return problem
		? { action, status: 'failed', id, message: problem }
		: { action, status: 'applied', id };
}
