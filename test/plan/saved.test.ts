/**
 * The saved-plan format read back as written: what `plan --out` serializes, `apply` parses to the
 * same plan, and a field of the wrong type is refused by its path. The command lines are in
 * test/integration/saved-plan-read.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { planSessions } from '../../src/plan/diff.js';
import {
	parseSavedPlan,
	SAVED_PLAN_KIND,
	SAVED_PLAN_VERSION,
	serializeSavedPlan,
	type SavedPlan,
} from '../../src/plan/saved.js';
import { desired, spec } from '../support/session-builders.js';

const stack = spec([desired('a', { task: 'Task for a' })]);
const saved: SavedPlan = {
	kind: SAVED_PLAN_KIND,
	formatVersion: SAVED_PLAN_VERSION,
	createdAt: '2026-12-07T04:00:00.000Z',
	target: { local: false, url: 'https://hub.example', org: 'org_docs' },
	specFiles: ['sessions.yaml'],
	spec: stack,
	plan: planSessions(stack, []),
	env: { keyId: '0123456789abcdef', values: { a: { T: null } }, templates: {} },
};

describe('a saved plan', () => {
	it('reads back as written, an unset env value included', () => {
		expect(parseSavedPlan(serializeSavedPlan(saved), 'p.json')).toEqual(saved);
	});

	it('with a field of the wrong type is refused by its path', () => {
		const damaged = { ...saved, target: { ...saved.target, region: 5 } };
		expect(() => parseSavedPlan(JSON.stringify(damaged), 'p.json')).toThrow(
			new UserError('p.json: the saved plan is damaged (target.region)')
		);
	});
});
