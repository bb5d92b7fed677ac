/**
 * What the plan fingerprint covers beyond a create's fields: the changes of other kinds, the Hub
 * the plan is for, and who a session is taken over from; and what it leaves out (actions that
 * change nothing), so a plan that changes nothing more matches the reviewed one.
 */
import { describe, expect, it } from 'vitest';
import { fingerprintOf, type PlannedHub } from '../../src/plan/fingerprint.js';
import type { Action, ResourceAction } from '../../src/plan/types.js';

const HUB: PlannedHub = { local: false, url: 'https://hub.example.test', org: 'org_a' };

const note = (over: Partial<ResourceAction> = {}): ResourceAction => ({
	kind: 'create',
	resource: 'note',
	key: 'a',
	qualifiedKey: 'notes.a',
	level: 10,
	reason: 'declared, not on the Hub',
	desired: { text: 'hello' },
	...over,
});

const fingerprint = (resources: readonly ResourceAction[], hub: PlannedHub = HUB) =>
	fingerprintOf('docs', [], hub, resources);

describe('the plan fingerprint', () => {
	it('of a plan that changes nothing is what it always was: the sessions-only form', () => {
		// Saved plans and reviewed fingerprints outlive a release: this form must not drift.
		expect(fingerprint([])).toBe(
			'sha256:31f2f83a1417543f44352e79a4b4334f6a16b2916e2740bf9231e9b85ac8e179'
		);
	});

	it('leaves out sessions that stay as they are', () => {
		const noop = { kind: 'noop', key: 'kept', reason: 'unchanged' } as never as Action;
		expect(fingerprintOf('docs', [noop], HUB)).toBe(fingerprintOf('docs', [], HUB));
	});

	it('is that of the sessions alone when the other kinds change nothing', () => {
		const noop = note({ kind: 'noop', id: 'w1', desired: { text: 'hello' } });
		expect(fingerprint([noop])).toBe(fingerprint([]));
		expect(fingerprint([noop, note()])).toBe(fingerprint([note()]));
	});

	it('covers every change of another kind: what, which record, which fields, why', () => {
		const base = fingerprint([note()]);
		const variants: ResourceAction[] = [
			note({ desired: { text: 'hello!' } }),
			note({ key: 'b', qualifiedKey: 'notes.b' }),
			note({ resource: 'pin' }),
			note({ kind: 'delete', id: 'w1', desired: undefined }),
		];
		for (const variant of variants) expect(fingerprint([variant])).not.toBe(base);

		const update = note({
			kind: 'update',
			id: 'w1',
			changes: [{ field: 'text', before: 'a', after: 'b' }],
		} as Partial<ResourceAction>);
		const updated = fingerprint([update]);
		expect(fingerprint([{ ...update, id: 'w2' }])).not.toBe(updated);
		expect(
			fingerprint([{ ...update, changes: [{ field: 'text', before: 'a', after: 'c' }] }] as never)
		).not.toBe(updated);
		// An update sends its changes: the entry's other desired values are not part of it.
		expect(fingerprint([{ ...update, desired: { text: 'b', other: 1 } }])).toBe(updated);

		const replace = note({ kind: 'replace', id: 'w1', forcedBy: ['scope'] });
		expect(fingerprint([{ ...replace, forcedBy: ['text'] }])).not.toBe(fingerprint([replace]));
	});

	it('names the Hub by its URL without trailing slashes, its org, and its region only without a URL', () => {
		const same = fingerprint([note()]);
		expect(fingerprint([note()], { ...HUB, url: 'https://hub.example.test/' })).toBe(same);
		expect(fingerprint([note()], { ...HUB, url: 'https://hub.example.test///' })).toBe(same);
		expect(fingerprint([note()], { ...HUB, region: 'usw' })).toBe(same);
		expect(fingerprint([note()], { ...HUB, org: 'org_b' })).not.toBe(same);
		expect(fingerprint([note()], { ...HUB, url: 'https://other.example.test' })).not.toBe(same);

		const byRegion = (region: string) =>
			fingerprint([note()], { local: false, org: 'org_a', region });
		expect(byRegion('usw')).not.toBe(byRegion('use'));
		const local = (region?: string) =>
			fingerprint([note()], { local: true, org: 'org_a', ...(region ? { region } : {}) });
		expect(local('usw')).toBe(local());
		expect(local()).not.toBe(same);
	});

	it('tells a session taken over from another stack from one adopted unmarked', () => {
		const live = {
			id: 's1',
			label: 'A',
			status: 'active',
			createdAt: '2026-12-01T00:00:00.000Z',
			protect: false,
			precondition: 'p',
		};
		for (const kind of ['adopt', 'replace'] as const) {
			const action = {
				kind,
				key: 'a',
				reason: '',
				live,
				changes: [],
				stamp: 's',
			} as never as Action;
			const taken = { ...action, foreignStack: 'other' } as Action;
			expect(fingerprintOf('docs', [taken], HUB)).not.toBe(fingerprintOf('docs', [action], HUB));
		}
	});
});
