/**
 * Carries out the actions on the other kinds of the kind table through each row's store, level
 * by level: creates, updates and replaces going up the levels, deletes coming down; the actions
 * of one level run in parallel. An action whose dependency (an entry it references) did not
 * succeed is not attempted.
 */
import pLimit from 'p-limit';
import { resourceRows, type KindTable, type KindValues } from '../kinds/kind.js';
import type { HubWriter } from '../hub/types.js';
import type { ResourceAction } from '../plan/types.js';
import { HubUnavailableError } from '../hub/errors.js';
import type { ApplyEvent, ResourceOutcome } from './events.js';

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
	/** Each action as it starts and finishes (an action not attempted only finishes). */
	readonly onEvent?: (event: ApplyEvent) => void;
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
			(options.step === 'build' ? BUILDS.has(action.kind) : action.kind === 'delete')
	);
	const levels = [...new Set(wanted.map((action) => action.level))].sort((a, b) =>
		options.step === 'build' ? a - b : b - a
	);
	const limit = pLimit(options.parallelism);
	const outcomes: ResourceOutcome[] = [];
	for (const level of levels) {
		const phase = wanted.filter((action) => action.level === level);
		const results = await Promise.all(
			phase.map((action) =>
				limit(async () => {
					const outcome = await applyOne(action, table, hub, options);
					options.onEvent?.({ type: 'resource-finish', outcome });
					return outcome;
				})
			)
		);
		for (const outcome of results) {
			outcomes.push(outcome);
			if (outcome.status !== 'applied') options.failed.add(outcome.action.qualifiedKey);
		}
	}
	return outcomes;
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
	const row = resourceRows(table).find((each) => each.name === action.resource);
	if (!row || !hub.kindStore) {
		return { action, status: 'failed', message: `no store for kind ${action.resource}` };
	}
	options.onEvent?.({ type: 'resource-start', action });
	const store = hub.kindStore(row);
	const owner = { stack: options.stack, key: action.key };
	const desired = (action.desired ?? {}) as KindValues;
	try {
		switch (action.kind) {
			case 'create':
				return {
					action,
					status: 'applied',
					id: (await store.create(row.createInput(owner, desired))).id,
				};
			case 'update': {
				const changed = Object.fromEntries(
					(action.changes ?? []).map((change) => [change.field, desired[change.field]])
				);
				await store.update(action.id!, row.updateInput(owner, changed, desired));
				return { action, status: 'applied', id: action.id! };
			}
			case 'replace': {
				// The new record first: a failed create leaves the old one in place.
				const created = await store.create(row.createInput(owner, desired));
				await store.remove(action.id!);
				return { action, status: 'applied', id: created.id };
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
			return { action, status: 'unknown', message: 'the Hub stopped answering' };
		return {
			action,
			status: 'failed',
			message: error instanceof Error ? error.message : String(error),
		};
	}
}
