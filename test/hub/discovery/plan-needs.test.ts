import { describe, expect, it } from 'vitest';
import { planNeeds } from '../../../src/hub/discovery/plan-needs.js';
import { MARKER } from '../../../src/ownership/markers.js';
import { desired, live, spec } from '../../support/session-builders.js';

const ofKey = (key: string) =>
	live({ metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: key } });

describe('planNeeds', () => {
	it('reads adopt: targets by id', () => {
		const needs = planNeeds(spec([desired('a', { adopt: 'sess_1' }), desired('b')]), []);
		expect(needs.byId).toEqual(['sess_1']);
	});

	it('needs no archived history when every declared key has an active session', () => {
		const needs = planNeeds(spec([desired('a'), desired('b')]), []);
		expect(needs.needsArchived([ofKey('a'), ofKey('b'), ofKey('gone')])).toBe(false);
	});

	it('needs it for a key without an active session, and for state: archived', () => {
		expect(planNeeds(spec([desired('a'), desired('b')]), []).needsArchived([ofKey('a')])).toBe(
			true
		);
		const archived = planNeeds(spec([desired('a', { state: 'archived' })]), []);
		expect(archived.needsArchived([ofKey('a')])).toBe(true);
	});

	it('needs it for state: unmanaged, whose forget covers archived sessions too', () => {
		const unmanaged = planNeeds(spec([desired('a', { state: 'unmanaged' })]), []);
		expect(unmanaged.needsArchived([ofKey('a')])).toBe(true);
	});

	it('needs it under prune: delete, which deletes the archived sessions of removed keys too', () => {
		const entries = spec([desired('a'), desired('b')], { prune: 'delete' });
		expect(planNeeds(entries, []).needsArchived([ofKey('a'), ofKey('b')])).toBe(true);
		expect(planNeeds(entries, ['old']).needsArchived([ofKey('a'), ofKey('b')])).toBe(true);
		// --only naming declared keys alone plans no removal.
		expect(planNeeds(entries, ['a']).needsArchived([ofKey('a'), ofKey('b')])).toBe(false);
	});

	it('weighs only the --only keys, and needs history for an --only key nobody declares', () => {
		const entries = spec([desired('a'), desired('b')]);
		expect(planNeeds(entries, ['a']).needsArchived([ofKey('a')])).toBe(false);
		expect(planNeeds(entries, ['a', 'old']).needsArchived([ofKey('a')])).toBe(true);
	});

	it('adds what the base spec of plan --base needs', () => {
		const ours = spec([desired('a')]);
		const base = spec([desired('a'), desired('b', { adopt: 'sess_9' })]);
		const needs = planNeeds(ours, [], base);
		expect(needs.byId).toEqual(['sess_9']);
		expect(needs.needsArchived([ofKey('a')])).toBe(true);
		expect(planNeeds(ours, []).needsArchived([ofKey('a')])).toBe(false);
	});
});
