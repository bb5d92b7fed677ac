/** Attributing plan actions to a change or to its base (`plan --base`). */
import { describe, expect, it } from 'vitest';
import { attributeOrigins, type BaseAttribution } from '../../src/plan/origin.js';
import { renderJson, renderMarkdown, renderText } from '../../src/render/index.js';
import type { Action } from '../../src/plan/types.js';
import { liveRef, noop, planOf, viewOf } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

function update(key: string, id: string, before: string, after: string): Action {
	return {
		kind: 'update',
		key,
		reason: 'label differs',
		live: liveRef({ id, label: before }),
		desired: desired(key, { label: after }),
		changes: [{ field: 'label', before, after }],
		stamp: `stamp-${after}`,
	};
}

const create = (key: string, label = key): Action => ({
	kind: 'create',
	key,
	reason: 'not on the Hub',
	desired: desired(key, { label }),
});

const archive = (key: string, id: string, kind: 'archive' | 'delete' = 'archive'): Action => ({
	kind,
	key,
	reason: 'not in the spec',
	live: liveRef({ id }),
});

describe('attributeOrigins', () => {
	it('marks an action the base plans the same way as base, anything else as change', () => {
		const drift = update('beta', 'ses_b', 'Hand edit', 'Beta');
		const plan = planOf([
			create('delta'),
			update('alpha', 'ses_a', 'Alpha', 'Alpha v2'),
			drift,
			archive('old', 'ses_o'),
		]);
		const base = planOf([
			noop('alpha', { id: 'ses_a' }),
			update('beta', 'ses_b', 'Hand edit', 'Beta'),
			archive('old', 'ses_o'),
		]);
		expect(attributeOrigins(plan, base)).toEqual(['change', 'change', 'base', 'base']);
	});

	it('counts the same action with other changes as the change', () => {
		const plan = planOf([update('alpha', 'ses_a', 'Hand edit', 'Alpha v2')]);
		const base = planOf([update('alpha', 'ses_a', 'Hand edit', 'Alpha')]);
		expect(attributeOrigins(plan, base)).toEqual(['change']);
	});

	it('tells actions apart by kind and by session id', () => {
		const plan = planOf([archive('old', 'ses_1'), archive('old', 'ses_2')]);
		const base = planOf([archive('old', 'ses_1', 'delete'), archive('old', 'ses_2')]);
		expect(attributeOrigins(plan, base)).toEqual(['change', 'base']);
	});

	it('ignores reasons, stamps and source positions', () => {
		const created = create('delta');
		const moved: Action = {
			kind: 'create',
			key: 'delta',
			reason: 'another reason',
			desired: desired('delta', { label: 'delta', source: { file: 'b.yaml', line: 9, column: 1 } }),
		};
		const restamped = { ...update('a', 'ses_a', 'x', 'y'), stamp: 'other', reason: 'other' };
		expect(
			attributeOrigins(
				planOf([created, update('a', 'ses_a', 'x', 'y')]),
				planOf([moved, restamped])
			)
		).toEqual(['base', 'base']);
	});

	it('matches each base action once', () => {
		const twice = planOf([create('x'), create('x')]);
		expect(attributeOrigins(twice, planOf([create('x')]))).toEqual(['base', 'change']);
	});

	it('counts every action as the change without a base plan', () => {
		expect(attributeOrigins(planOf([create('x'), noop('y')]), undefined)).toEqual([
			'change',
			'change',
		]);
	});
});

describe('rendering a plan with a base', () => {
	const plan = planOf([
		create('delta'),
		update('alpha', 'ses_a', 'Alpha', 'Alpha v2'),
		update('beta', 'ses_b', 'Hand edit', 'Beta'),
		noop('gamma', { id: 'ses_g' }),
	]);
	const base: BaseAttribution = {
		ref: 'origin/main',
		commit: '0123456789abcdef0123456789abcdef01234567',
		origins: ['change', 'change', 'base', 'base'],
	};
	const view = viewOf(plan, { base });

	it('puts origin on each JSON action and the base at the top level', () => {
		const json = JSON.parse(renderJson(view));
		expect(json.base).toEqual({ ref: base.ref, commit: base.commit });
		expect(json.actions.map((a: { origin: string }) => a.origin)).toEqual(base.origins);
	});

	it('leaves JSON without origins when no base is given', () => {
		const json = JSON.parse(renderJson(viewOf(plan)));
		expect(json.base).toBeUndefined();
		expect(json.actions.every((a: object) => !('origin' in a))).toBe(true);
	});

	it('carries the note of a base that could not be planned', () => {
		const note = 'the spec at origin/main is not valid (1 error in sessions.yaml)';
		const json = JSON.parse(renderJson(viewOf(plan, { base: { ...base, note } })));
		expect(json.base.note).toBe(note);
		expect(renderText(viewOf(plan, { base: { ...base, note } }), { color: false })).toContain(note);
	});

	it('splits the text plan into the change and what was pending without it', () => {
		const text = renderText(view, { color: false });
		expect(text).toContain(
			'Compared with origin/main (0123456789ab): 2 actions from this change, 1 already pending without it.'
		);
		const own = text.indexOf('This change:');
		const pending = text.indexOf('Already pending without this change:');
		expect(own).toBeGreaterThan(-1);
		expect(pending).toBeGreaterThan(own);
		expect(text.indexOf('alpha')).toBeLessThan(pending);
		expect(text.indexOf('delta')).toBeLessThan(pending);
		expect(text.indexOf('beta')).toBeGreaterThan(pending);
	});

	it('leads the markdown comment with the change, then what was pending without it', () => {
		const md = renderMarkdown(view);
		const own = md.indexOf('#### This change');
		const pending = md.indexOf('#### Already pending without this change');
		expect(own).toBeGreaterThan(-1);
		expect(pending).toBeGreaterThan(own);
		expect(md.indexOf('<b>alpha</b>')).toBeLessThan(pending);
		expect(md.indexOf('<b>delta</b>')).toBeLessThan(pending);
		expect(md.indexOf('<b>beta</b>')).toBeGreaterThan(pending);
	});

	it('shows no section heading for an origin without actions', () => {
		const allOwn = viewOf(plan, {
			base: { ...base, origins: ['change', 'change', 'change', 'base'] },
		});
		expect(renderMarkdown(allOwn)).not.toContain('Already pending');
		expect(renderText(allOwn, { color: false })).not.toContain(
			'Already pending without this change:'
		);
	});
});
