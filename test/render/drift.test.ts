import { describe, expect, it } from 'vitest';
import { renderDriftText, toDriftJson, describe as describeValue } from '../../src/render/drift.js';
import { detectDrift } from '../../src/plan/drift-report.js';
import { createStyle, plainStyle } from '../../src/render/style.js';
import { desired, liveFor, spec } from '../support/session-builders.js';

async function report() {
	const quickstart = desired('quickstart-review', {
		label: 'Quickstart review',
		tags: ['docs'],
		metadata: { ticket: 'DOCS-141' },
	});
	const lint = desired('style-guide-lint', {
		label: 'Style guide lint',
		env: { TOKEN: 'Bearer ${TOKEN}' },
	});
	const applied = await liveFor(quickstart, {
		fields: { id: 'codesess_1', label: 'QR', tags: ['docs', 'hotfix'] },
		env: { TOKEN: 's3cr3t' },
	});
	const handEdited = { ...applied, metadata: { ...applied.metadata, ticket: 'DOCS-999' } };
	const withStamp = await liveFor(lint, { fields: { id: 'codesess_2' }, env: { TOKEN: 's3cr3t' } });
	const specNow = spec([
		quickstart,
		{
			...lint,
			label: 'Style guide lint (all pages)',
			task: 'Line one\nline two',
			env: { TOKEN: '${OTHER}' },
		},
		desired('faq-refresh'),
	]);
	return detectDrift(specNow, [handEdited, withStamp]);
}

describe('renderDriftText', () => {
	it('groups changes made outside the tool apart from spec changes not yet applied', async () => {
		const text = renderDriftText(await report(), plainStyle);
		expect(text).toBe(
			[
				'coder-sessions drift for stack docs-team (sessions.yaml)',
				'',
				'Changed outside coder-sessions (the live session differs from what was last applied):',
				'',
				'  quickstart-review  codesess_1 "QR"',
				'      ~ label: "Quickstart review" -> "QR"',
				'      ~ tags: [docs] -> [docs, hotfix]',
				'      ~ metadata: ticket: "DOCS-141" -> "DOCS-999"',
				'',
				'Spec changes not yet applied (the spec differs from what was last applied):',
				'',
				'  faq-refresh',
				'      not on the Hub: apply creates it',
				'',
				'  style-guide-lint  codesess_2 "Style guide lint"',
				'      ~ label: spec says "Style guide lint (all pages)"',
				'      ~ task changed (forces replace)',
				'      ~ env keys: ~TOKEN (forces replace)',
				'',
				'Drift: 1 session changed outside coder-sessions, 2 with spec changes not yet applied, 0 never applied, 0 clean.',
				'Run `coder-sessions plan` to see what apply would change to match the spec again.',
				'',
			].join('\n')
		);
		expect(text).not.toContain('s3cr3t');
		expect(text).not.toContain('${OTHER}');
	});

	it('says "No drift" when everything matches, and colours only when asked', async () => {
		const entry = desired('a');
		const clean = detectDrift(spec([entry]), [await liveFor(entry)]);
		expect(renderDriftText(clean, plainStyle)).toContain(
			'No drift: 1 session matches what was last applied.'
		);
		expect(renderDriftText(await report(), createStyle(true))).toContain('\u001b[');
	});

	it('lists sessions never applied by coder-sessions', async () => {
		const entry = desired('a');
		const stamped = await liveFor(entry);
		const { 'coder-sessions/applied': _stamp, ...metadata } = stamped.metadata;
		const session = { ...stamped, metadata };
		const text = renderDriftText(detectDrift(spec([entry]), [session]), plainStyle);
		expect(text).toContain('Never applied by coder-sessions');
		expect(text).toContain(
			'Drift: 0 sessions changed outside coder-sessions, 0 with spec changes not yet applied, 1 never applied'
		);
	});
});

describe('toDriftJson', () => {
	it('is versioned, says whether there is drift, and gives every session with nulls for the unknown', async () => {
		const json = toDriftJson(await report());
		expect(json).toMatchObject({ formatVersion: 1, stack: 'docs-team', drift: true });
		expect(json.counts).toEqual({ sessions: 3, clean: 0, outside: 1, pending: 2, neverApplied: 0 });
		expect(json.sessions.find((s) => s.key === 'faq-refresh')).toEqual({
			key: 'faq-refresh',
			sessionId: null,
			label: null,
			stamp: null,
			outside: [],
			pending: [],
			pendingAction: 'create',
			note: 'not on the Hub: apply creates it',
		});
		expect(json.sessions.find((s) => s.key === 'quickstart-review')?.outside[0]).toEqual({
			field: 'label',
			live: 'QR',
			applied: 'Quickstart review',
		});
		expect(JSON.stringify(json)).not.toContain('s3cr3t');
	});
});

describe('describe', () => {
	it('shows short values on one line and leaves long or nested ones out', () => {
		expect(describeValue('short')).toBe('"short"');
		expect(describeValue('two\nlines')).toBeUndefined();
		expect(describeValue('x'.repeat(61))).toBeUndefined();
		expect(describeValue(['a', 'b'])).toBe('[a, b]');
		expect(describeValue({ a: 'b' })).toBeUndefined();
		expect(describeValue(true)).toBe('true');
		expect(describeValue(null)).toBe('null');
	});
});
