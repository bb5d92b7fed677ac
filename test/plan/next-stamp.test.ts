import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import { MARKER } from '../../src/ownership/markers.js';
import { desired, liveFor, spec } from '../support/session-builders.js';

describe('the stamp an update writes', () => {
	it('claims only what the update sent or saw, so an ignored difference shows again later', async () => {
		const applied = desired('a', {
			label: 'Old',
			repo: { owner: 'o', name: 'old' },
			agent: 'lead',
		});
		const session = await liveFor(applied);
		const ignoring = desired('a', {
			label: 'New',
			repo: { owner: 'o', name: 'new' },
			agent: 'scout',
			ignoreChanges: ['repo', 'agent'],
		});
		const update = planSessions(spec([ignoring]), [session]).actions[0]!;
		expect(update).toMatchObject({ kind: 'update', changes: [{ field: 'label' }] });
		if (update.kind !== 'update') return;

		// What the Hub holds after that update: the new label and the stamp it wrote.
		const updated = {
			...session,
			label: 'New',
			metadata: { ...session.metadata, [MARKER.applied]: update.stamp },
		};
		const { ignoreChanges: _, ...watching } = ignoring;
		const next = planSessions(spec([{ ...watching, ignoreChanges: [] }]), [updated]).actions[0];
		expect(next).toMatchObject({ kind: 'replace', forcedBy: ['repo'] });
		expect(next?.kind === 'replace' && next.changes.map((change) => change.field)).toEqual([
			'agent',
			'repo',
		]);
	});
});
