/**
 * Sessions the Hub spawned, told from the SDK's session detail: `parentSessionId`,
 * `coordinationJobId`, or a `sessionKind` other than a plain session's. Their copy of a parent's
 * markers is dropped, so no stack can own them; plan counts them apart.
 */
import { CoderSessionSchema, type CoderSession } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { toLiveSession } from '../../src/hub/map.js';
import { ownershipCounts } from '../../src/ownership/key-groups.js';
import { MARKER } from '../../src/ownership/markers.js';
import { planSessions } from '../../src/plan/diff.js';
import { desired, spec } from '../support/session-builders.js';

let next = 1;
function detail(extra: Record<string, unknown>): CoderSession {
	return CoderSessionSchema.parse({
		sessionId: `codesess_${String(next++).padStart(12, '0')}`,
		label: 'L',
		status: 'active',
		mode: 'sandbox',
		visibility: 'private',
		workflowMode: 'standard',
		createdAt: `2026-01-01T00:00:0${next % 10}.000Z`,
		tags: [],
		skills: [],
		bucket: 'running',
		runtimeAvailable: true,
		controlAvailable: true,
		wakeAvailable: false,
		historyOnly: false,
		liveExpected: true,
		task: 'T',
		metadata: {
			[MARKER.stack]: 'docs-team',
			[MARKER.key]: 'review',
			[MARKER.run]: 'run_1',
			ticket: 'T-1',
		},
		...extra,
	});
}

describe('sessions spawned by the Hub', () => {
	it('are told by parentSessionId, coordinationJobId or a kind other than a plain session', () => {
		expect(toLiveSession(detail({ parentSessionId: 'codesess_p' })).spawned).toEqual({
			parentSessionId: 'codesess_p',
		});
		expect(toLiveSession(detail({ coordinationJobId: 'job_1' })).spawned).toEqual({
			coordinationJobId: 'job_1',
		});
		expect(toLiveSession(detail({ sessionKind: 'worker' })).spawned).toEqual({
			sessionKind: 'worker',
		});
		expect(toLiveSession(detail({ sessionKind: 'agent_builder' })).spawned).toEqual({
			sessionKind: 'agent_builder',
		});
		for (const plain of [undefined, '', 'session', 'Standard', 'interactive']) {
			const extra = plain === undefined ? {} : { sessionKind: plain };
			expect(toLiveSession(detail(extra)).spawned, String(plain)).toBeUndefined();
		}
		// Empty ids say nothing.
		expect(toLiveSession(detail({ parentSessionId: '', coordinationJobId: ' ' })).spawned).toBe(
			undefined
		);
	});

	it('carry none of the markers they copied, and keep the rest of their metadata', () => {
		const child = toLiveSession(detail({ parentSessionId: 'codesess_p', sessionKind: 'worker' }));
		expect(child.metadata).toEqual({ ticket: 'T-1' });
		const plain = toLiveSession(detail({}));
		expect(plain.metadata[MARKER.key]).toBe('review');
	});

	it('are never matched or deduped by a plan, only counted', () => {
		const own = toLiveSession(detail({}));
		const copies = [
			toLiveSession(detail({ parentSessionId: own.id, sessionKind: 'worker' })),
			toLiveSession(detail({ coordinationJobId: 'job_1' })),
		];
		const live = [own, ...copies];
		expect(ownershipCounts('docs-team', live)).toEqual({
			managed: 1,
			otherStacks: 0,
			unmanaged: 0,
			spawned: 2,
		});
		const plan = planSessions(spec([desired('review', { task: 'T', label: 'L' })]), live);
		expect(plan.actions.map((action) => action.kind)).toEqual(['noop']);
		expect(plan.counts.spawned).toBe(2);
		const pruned = planSessions(spec([]), live, { destroy: true });
		expect(pruned.actions.map((action) => ['live' in action && action.live?.id])).toEqual([
			[own.id],
		]);
	});
});
