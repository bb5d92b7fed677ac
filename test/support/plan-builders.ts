/**
 * Builders for plan values with sane defaults: tests name only what they are about. Desired
 * sessions come from session-builders.ts.
 */
import type { HubCallCounts } from '../../src/hub/types.js';
import type { PlanView } from '../../src/render/view.js';
import type { Action, LiveRef, Plan } from '../../src/plan/types.js';

export const FINGERPRINT = `sha256:${'3f9a0c1d2b4e'}${'0'.repeat(52)}`;

export function liveRef(overrides: Partial<LiveRef> = {}): LiveRef {
	const id = overrides.id ?? 'ses_000';
	return {
		id,
		label: 'A session',
		status: 'idle',
		createdAt: '2025-01-02T03:04:05.000Z',
		protect: false,
		precondition: `pre-${id}`,
		...overrides,
	};
}

export function noop(key: string, live: Partial<LiveRef> = {}): Action {
	return { kind: 'noop', key, reason: 'matches the spec', live: liveRef(live) };
}

/** A plan around the given actions; removals and managed are counted unless given. */
export function planOf(actions: readonly Action[], overrides: Partial<Plan> = {}): Plan {
	const count = (kind: Action['kind']) => actions.filter((a) => a.kind === kind).length;
	const removalsByKind = {
		archive: count('archive'),
		delete: count('delete'),
		replace: count('replace'),
	};
	const managed = actions.filter((a) => a.kind !== 'create').length;
	return {
		stack: 'docs-team',
		prune: 'archive',
		actions,
		hazards: [],
		removals: removalsByKind.archive + removalsByKind.delete + removalsByKind.replace,
		removalsByKind,
		counts: { managed, otherStacks: 0, unmanaged: 0 },
		fingerprint: FINGERPRINT,
		only: [],
		...overrides,
	};
}

export function hubCalls(overrides: Partial<HubCallCounts> = {}): HubCallCounts {
	return {
		list: 0,
		kindList: 0,
		get: 0,
		create: 0,
		update: 0,
		archive: 0,
		delete: 0,
		other: 0,
		...overrides,
	};
}

export function viewOf(plan: Plan, meta: Partial<PlanView['meta']> = {}): PlanView {
	return { plan, meta: { files: ['examples/sessions.yaml'], ...meta } };
}
