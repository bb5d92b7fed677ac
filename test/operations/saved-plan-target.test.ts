/**
 * Which Hub a saved plan is applied to: the one it was made against unless the flags name
 * another, and a plan taken to another Hub, org or region is refused as foreign, in words that
 * name both.
 */
import { describe, expect, it } from 'vitest';
import { otherHubReason, savedPlanTarget } from '../../src/operations/saved-plan-file.js';
import type { SavedPlan, SavedPlanTarget } from '../../src/plan/saved.js';

const planFor = (target: SavedPlanTarget) => ({ target }) as SavedPlan;

describe('savedPlanTarget', () => {
	const saved = planFor({ url: 'https://hub.example', org: 'org_a', local: false, region: 'eu' });

	it('goes back to the Hub, org and region the plan was made against', () => {
		expect(savedPlanTarget({}, saved)).toEqual({
			local: false,
			url: 'https://hub.example',
			org: 'org_a',
			region: 'eu',
		});
		expect(savedPlanTarget({ org: 'org_b' }, saved).org).toBe('org_b');
		const noRegion = planFor({ url: 'https://hub.example', local: false });
		expect(savedPlanTarget({}, noRegion)).toEqual({ local: false, url: 'https://hub.example' });
	});

	it('follows the flags when they name a Hub: --local, --url or --region', () => {
		for (const flags of [{ local: true }, { url: 'https://other.example' }, { region: 'us' }])
			expect(savedPlanTarget(flags, saved), JSON.stringify(flags)).toEqual(flags);
	});
});

describe('otherHubReason', () => {
	const remote = { url: 'https://hub.example', org: 'org_a', local: false };

	it('is undefined for the same Hub, whatever trailing slashes, and where an org or region is unknown', () => {
		expect(otherHubReason(remote, { ...remote, url: 'https://hub.example//' })).toBeUndefined();
		expect(otherHubReason({ ...remote, url: 'https://hub.example/' }, remote)).toBeUndefined();
		expect(otherHubReason({ local: false, url: remote.url }, remote)).toBeUndefined();
		expect(otherHubReason(remote, { local: false, url: remote.url })).toBeUndefined();
		expect(otherHubReason({ local: true }, { local: true, org: 'org_a' })).toBeUndefined();
		expect(otherHubReason({ local: false, region: 'eu' }, { local: false })).toBeUndefined();
		expect(otherHubReason({ local: false }, { local: false, region: 'eu' })).toBeUndefined();
		expect(otherHubReason({ local: false, region: 'eu' }, { local: false, region: 'eu' })).toBe(
			undefined
		);
	});

	it('names both Hubs when the URL, the org, the region or local differ', () => {
		expect(otherHubReason(remote, { ...remote, url: 'https://hub.example/path' })).toBe(
			'it was made for https://hub.example (org org_a), and this apply reaches https://hub.example/path (org org_a)'
		);
		expect(otherHubReason(remote, { ...remote, org: 'org_b' })).toBe(
			'it was made for https://hub.example (org org_a), and this apply reaches https://hub.example (org org_b)'
		);
		expect(otherHubReason({ local: false, region: 'eu' }, { local: false, region: 'us' })).toBe(
			'it was made for the Hub of region eu, and this apply reaches the Hub of region us'
		);
		expect(otherHubReason({ local: false }, { local: true })).toBe(
			'it was made for the default Hub, and this apply reaches the local Hub'
		);
		expect(otherHubReason({ local: true }, { local: false, url: remote.url })).toBe(
			'it was made for the local Hub, and this apply reaches https://hub.example'
		);
		expect(
			otherHubReason({ local: false, url: remote.url }, { local: true, url: remote.url })
		).toBe('it was made for https://hub.example, and this apply reaches the local Hub');
	});
});
