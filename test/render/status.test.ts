import { describe, expect, it } from 'vitest';
import { createStyle, plainStyle } from '../../src/render/style.js';
import { describeSync, renderStatusText, toStatusJson } from '../../src/render/status.js';
import {
	buildStatusRows,
	countRows,
	withActivity,
	type StatusView,
} from '../../src/plan/status-rows.js';
import { hubCalls } from '../support/plan-builders.js';
import { desired, liveFor, spec } from '../support/session-builders.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');

async function view(): Promise<StatusView> {
	const inSync = desired('architecture-review', {
		label: 'Architecture review',
		workflowMode: 'standard',
	});
	const drifted = desired('quickstart-review', { label: 'Quickstart review', tags: ['docs'] });
	const entries = [inSync, drifted, desired('faq-refresh')];
	const a = await liveFor(inSync, { fields: { lastActivityAt: '2026-06-01T11:57:00Z' } });
	const b = await liveFor(drifted, {
		fields: {
			label: 'A label that somebody made much longer by hand',
			lastActivityAt: '2026-05-28T09:00:00Z',
		},
	});
	const { rows, olderArchived } = buildStatusRows(spec(entries), [a, b]);
	const activity = new Map([
		[
			a.id,
			{
				participants: { count: 2, connected: 1 },
				events: { count: 140, atLeast: false },
				replay: { available: true },
			},
		],
		[b.id, { error: 'read event history of session x: HTTP 500: boom' }],
	]);
	const shown = withActivity(rows, activity);
	return {
		stack: 'docs-team',
		files: ['sessions.yaml'],
		rows: shown,
		counts: countRows(shown, olderArchived),
		hubCalls: hubCalls({ list: 1, get: 2, other: 6 }),
	};
}

describe('renderStatusText', () => {
	it('prints an aligned table, a warning per failed activity read, the counts and the calls', async () => {
		const text = renderStatusText(await view(), plainStyle, NOW);
		expect(text.split('\n')).toEqual([
			'coder-sessions status for stack docs-team (sessions.yaml)',
			'',
			'KEY                  LABEL                             STATUS  BUCKET   MODE      PARTICIPANTS  EVENTS  LAST ACTIVITY  SYNC',
			'architecture-review  Architecture review               active  running  standard             2     140  3m ago         in sync',
			'faq-refresh          -                                 -       -        -                    -       -  -              missing',
			'quickstart-review    A label that somebody made much…  active  running  standard             ?       ?  4d ago         drifted: label',
			'',
			expect.stringMatching(
				/^Warning: activity of quickstart-review \(codesess_\d+\) unavailable: read event history/
			),
			'3 sessions: 1 in sync, 1 drifted, 1 missing, 0 archived, 0 extra.',
			'Hub calls: 1 list, 2 get, 6 other.',
			'',
		]);
	});

	it('colours the sync column only when asked', async () => {
		const plain = renderStatusText(await view(), plainStyle, NOW);
		const coloured = renderStatusText(await view(), createStyle(true), NOW);
		expect(plain).not.toContain('\u001b[');
		expect(coloured).toContain('\u001b[32min sync');
	});

	it('says so when there is nothing to show', () => {
		const empty: StatusView = {
			stack: 's',
			files: ['f.yaml'],
			rows: [],
			counts: countRows([], 0),
			hubCalls: hubCalls({ list: 1 }),
		};
		expect(renderStatusText(empty, plainStyle, NOW)).toContain(
			'No sessions in the spec or on the Hub.'
		);
	});
});

describe('describeSync', () => {
	it('names at most three drifted fields', () => {
		const row = {
			key: 'a',
			sync: 'drifted' as const,
			changedFields: ['label', 'tags', 'metadata', 'task', 'env'],
		};
		expect(describeSync(row)).toBe('drifted: label, tags, metadata +2');
		expect(describeSync({ key: 'a', sync: 'in-sync', changedFields: [] })).toBe('in sync');
	});
});

describe('toStatusJson', () => {
	it('is versioned, has one entry per row with nulls for what is unknown, and the counts', async () => {
		const json = toStatusJson(await view(), NOW);
		expect(json).toMatchObject({
			formatVersion: 1,
			stack: 'docs-team',
			generatedAt: '2026-06-01T12:00:00.000Z',
		});
		expect(json.sessions.map((s) => [s.key, s.sync])).toEqual([
			['architecture-review', 'in-sync'],
			['faq-refresh', 'missing'],
			['quickstart-review', 'drifted'],
		]);
		expect(json.sessions[0]).toMatchObject({
			label: 'Architecture review',
			status: 'active',
			bucket: 'running',
			workflowMode: 'standard',
			participants: { count: 2, connected: 1 },
			events: { count: 140, atLeast: false },
			replay: { available: true },
			lastActivityAt: '2026-06-01T11:57:00Z',
			changedFields: [],
		});
		expect(json.sessions[1]).toMatchObject({
			sessionId: null,
			participants: null,
			events: null,
			lastActivityAt: null,
		});
		expect(json.sessions[2]).toMatchObject({
			changedFields: ['label'],
			activityError: expect.stringContaining('HTTP 500'),
		});
		expect(json.counts).toMatchObject({ sessions: 3, inSync: 1, drifted: 1, missing: 1 });
		expect(JSON.parse(JSON.stringify(json))).toEqual(json);
	});
});
