/**
 * Every renderer fed the hostile corpus in every field it shows: plan text, markdown and JSON,
 * status and drift text and JSON, apply's lines, and an error a Hub (or a gateway) answered.
 * Each output passes the checks of test/support/hostile-text.ts; each JSON output parses back
 * to the very values it was given.
 */
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../src/apply/events.js';
import { hubUnavailableLine, outcomeLine, summaryLines } from '../../../src/render/apply-report.js';
import { parse } from 'yaml';
import { toDriftJson, renderDriftText } from '../../../src/render/drift.js';
import { entrySnippet, specDocument } from '../../../src/spec/export/document.js';
import { detectDrift } from '../../../src/plan/drift-report.js';
import { ECHO_LIMIT, toHubError } from '../../../src/hub/errors.js';
import type { Action } from '../../../src/plan/types.js';
import {
	plainStyle,
	renderJson,
	renderMarkdown,
	renderText,
	type PlanJsonV1,
} from '../../../src/render/index.js';
import { renderStatusText, toStatusJson } from '../../../src/render/status.js';
import { buildStatusRows, countRows, withActivity } from '../../../src/plan/status-rows.js';
import { jsonText } from '../../../src/core/untrusted/index.js';
import { CORPUS, HOSTILE, textProblems } from '../../support/hostile-text.js';
import { hubCalls, liveRef, planOf, viewOf } from '../../support/plan-builders.js';
import { desired, live, liveFor, spec } from '../../support/session-builders.js';

const KEY = `key ${HOSTILE}`;
const TASK = [...CORPUS, '```', '````', 'TASKTAIL'].join('\n');
const LIVE_TASK = [...CORPUS.map((line) => `  ${line}`), 'LIVETAIL'].join('\n');

function hostileActions(): Action[] {
	const live = liveRef({ id: `ses ${HOSTILE}`, label: HOSTILE, status: HOSTILE });
	return [
		{
			kind: 'create',
			key: KEY,
			reason: HOSTILE,
			desired: desired(KEY, {
				task: TASK,
				label: HOSTILE,
				tags: CORPUS,
				metadata: { [HOSTILE]: HOSTILE },
				repo: { owner: HOSTILE, name: HOSTILE, branch: HOSTILE },
				env: { [HOSTILE]: 'x' },
			}),
		},
		{
			kind: 'update',
			key: KEY,
			reason: HOSTILE,
			live,
			changes: [
				{ field: 'label', before: HOSTILE, after: 'Clean' },
				{ field: 'tags', before: CORPUS, after: ['clean'] },
				{ field: 'metadata', before: { [HOSTILE]: HOSTILE }, after: { team: HOSTILE } },
			],
			desired: desired(KEY),
		},
		{
			kind: 'replace',
			key: KEY,
			reason: HOSTILE,
			live,
			forcedBy: ['task'],
			changes: [{ field: 'task', before: LIVE_TASK, after: TASK }],
			desired: desired(KEY, { task: TASK }),
		},
		{ kind: 'dedupe', key: KEY, reason: HOSTILE, live, keep: HOSTILE },
		{ kind: 'archive', key: KEY, reason: HOSTILE, live },
		{ kind: 'forget', key: KEY, reason: HOSTILE, live, markers: [HOSTILE] },
	] as Action[];
}

function hostilePlanView() {
	const plan = planOf(hostileActions(), {
		only: [HOSTILE],
		hazards: [
			{ kind: 'protected', keys: [KEY] },
			{
				kind: 'foreign-owner',
				sessions: [{ key: KEY, sessionId: HOSTILE, stack: HOSTILE }],
			},
		],
	});
	return viewOf(plan, {
		files: [HOSTILE],
		stale: [HOSTILE],
		notes: [HOSTILE],
		discovery: HOSTILE,
		hubCalls: hubCalls({ list: 1 }),
		base: { ref: HOSTILE, commit: 'a'.repeat(40), origins: [], note: HOSTILE },
	});
}

describe('every renderer, fed the hostile corpus', () => {
	it('plan text, markdown (open, collapsed and listed) and JSON', () => {
		const view = hostilePlanView();
		const outputs = {
			text: renderText(view, { color: false }),
			colour: renderText(view, { color: true }),
			markdown: renderMarkdown(view),
			collapsed: renderMarkdown(
				viewOf(planOf([...hostileActions(), ...hostileActions(), ...hostileActions()]))
			),
			listed: renderMarkdown(view, { limit: 3000 }),
			json: renderJson(view),
		};
		expect([
			...textProblems(outputs.text, 'text', 'plan text'),
			...textProblems(outputs.colour.replace(/\x1b\[\d+m/g, ''), 'text', 'plan colour'),
			...textProblems(outputs.markdown, 'markdown', 'plan markdown'),
			...textProblems(outputs.collapsed, 'markdown', 'plan markdown collapsed'),
			...textProblems(outputs.listed, 'markdown', 'plan markdown listed'),
			...textProblems(outputs.json, 'json', 'plan json'),
		]).toEqual([]);
		expect(outputs.collapsed).toContain('<details>');
		expect(outputs.listed).toContain('_Details of');
		const json = JSON.parse(outputs.json) as PlanJsonV1;
		expect(json.actions[0]?.key).toBe(KEY);
		expect(json.actions[0]?.desired?.task).toBe(TASK);
		expect(json.actions[1]?.changes?.[1]?.before).toEqual(CORPUS);
		expect(json.files).toEqual([HOSTILE]);
	});

	it('status text and JSON', async () => {
		const entry = desired(KEY, { label: 'Clean' });
		const session = await liveFor(entry, {
			// The Hub's words, whatever the SDK's types say they may be.
			fields: {
				label: HOSTILE,
				status: HOSTILE,
				bucket: HOSTILE as 'running',
				workflowMode: HOSTILE as 'standard',
			},
		});
		const { rows, olderArchived } = buildStatusRows(spec([entry, desired('other')]), [session]);
		const shown = withActivity(rows, new Map([[session.id, { error: HOSTILE }]]));
		const view = {
			stack: HOSTILE,
			files: [HOSTILE],
			rows: shown,
			counts: countRows(shown, olderArchived),
			hubCalls: hubCalls(),
		};
		const text = renderStatusText(view, plainStyle, Date.now());
		const json = jsonText(toStatusJson(view, Date.now()), 2);
		expect([
			...textProblems(text, 'text', 'status text'),
			...textProblems(json, 'json', 'status json'),
		]).toEqual([]);
		const parsed = JSON.parse(json) as ReturnType<typeof toStatusJson>;
		expect(parsed.sessions.find((row) => row.key === KEY)).toMatchObject({
			label: HOSTILE,
			activityError: HOSTILE,
		});
	});

	it('status text and JSON of a loop the Hub describes', async () => {
		const entry = desired(KEY, { workflowMode: 'loop', loop: { goal: 'g' } });
		const session = await liveFor(entry, { fields: { loopStatus: HOSTILE } });
		const { rows, olderArchived } = buildStatusRows(spec([entry]), [session]);
		const loop = { status: 'blocked', iteration: 1, summary: HOSTILE, nextAction: HOSTILE };
		const shown = withActivity(rows, new Map([[session.id, { loop }]]));
		const view = {
			stack: 'loops',
			files: ['loops.yaml'],
			rows: shown,
			counts: countRows(shown, olderArchived),
			hubCalls: hubCalls(),
		};
		const unread = withActivity(rows, new Map());
		const texts = [
			renderStatusText(view, plainStyle, Date.now()),
			renderStatusText({ ...view, rows: unread }, plainStyle, Date.now()),
		];
		const json = jsonText(toStatusJson(view, Date.now()), 2);
		expect([
			...texts.flatMap((text) => textProblems(text, 'text', 'status text')),
			...textProblems(json, 'json', 'status json'),
		]).toEqual([]);
		expect(texts[0]).toContain('Loop of');
		const parsed = JSON.parse(json) as ReturnType<typeof toStatusJson>;
		expect(parsed.sessions[0]?.loop).toMatchObject({ summary: HOSTILE, nextAction: HOSTILE });
	});

	it('drift text and JSON', async () => {
		const entry = desired(KEY, { label: 'Clean', tags: ['a'], metadata: { team: 'x' } });
		const applied = await liveFor(entry);
		const edited = {
			...applied,
			label: HOSTILE,
			tags: [HOSTILE, 'a'],
			metadata: { ...applied.metadata, team: HOSTILE.slice(0, 40), [HOSTILE]: 'y' },
		};
		const stray = live({ label: HOSTILE, metadata: { 'coder-sessions/stack': 'docs-team' } });
		const strayKeyed = {
			...stray,
			metadata: { ...stray.metadata, 'coder-sessions/key': HOSTILE },
		};
		const report = detectDrift(spec([{ ...entry, task: TASK }]), [edited, strayKeyed]);
		const text = renderDriftText(report, plainStyle);
		const json = jsonText(toDriftJson(report), 2);
		expect([
			...textProblems(text, 'text', 'drift text'),
			...textProblems(json, 'json', 'drift json'),
		]).toEqual([]);
		const parsed = JSON.parse(json) as ReturnType<typeof toDriftJson>;
		expect(parsed.sessions.find((s) => s.key === KEY)?.label).toBe(HOSTILE);
		expect(parsed.sessions.find((s) => s.key === HOSTILE)?.label).toBe(HOSTILE);
	});

	it("apply's lines and summary", () => {
		const [create, update, , dedupe] = hostileActions();
		const outcomes: Outcome[] = [
			{ action: create!, status: 'failed', message: HOSTILE },
			{ action: update!, status: 'applied', sessionId: HOSTILE, message: HOSTILE },
			{ action: dedupe!, status: 'unknown', message: HOSTILE },
			{ action: create!, status: 'skipped', message: HOSTILE },
			{ action: create!, status: 'not-attempted', message: HOSTILE },
			{ action: update!, status: 'conflict', sessionId: HOSTILE, message: HOSTILE },
		];
		const result = {
			outcomes,
			duplicatesArchived: (['resent', 'joined', 'other-run'] as const).map((cause) => ({
				key: HOSTILE,
				id: HOSTILE,
				kept: HOSTILE,
				cause,
			})),
			notConverged: [{ key: HOSTILE, sessionId: HOSTILE, problem: HOSTILE }],
			otherWrites: [{ key: HOSTILE, sessionId: HOSTILE, change: 'changed' as const }],
			readBackFailure: HOSTILE,
			hubUnavailable: HOSTILE,
			runId: 'run',
		};
		const lines = [
			...outcomes.map((outcome) => outcomeLine(outcome, plainStyle)),
			hubUnavailableLine(result) ?? '',
			...summaryLines(result, 'docs-team'),
		];
		expect(lines.flatMap((line) => textProblems(line, 'text', 'apply'))).toEqual([]);
		expect(lines.every((line) => !line.includes('\n'))).toBe(true);
	});

	it('a Hub error that echoes hostile text: one safe line, shortened', () => {
		const error = toHubError(
			{ _tag: 'APIErrorResponse', status: 400, message: `${HOSTILE} ${'x'.repeat(1000)}` },
			'create session'
		);
		expect(textProblems(error.message, 'text', 'hub error')).toEqual([]);
		expect(error.message).not.toContain('\n');
		expect(error.message.length).toBeLessThan(ECHO_LIMIT + 100);
		expect(error.message).toMatch(/… \(\d+ more characters\)$/);
	});

	it('export YAML and the entries import prints: inert, and parsing to the exact values', () => {
		const fields = {
			task: LIVE_TASK,
			label: HOSTILE,
			tags: CORPUS,
			metadata: { [HOSTILE]: HOSTILE, plain: 'multi\nline ok' },
		};
		const entry = { fields, envVariables: [], notes: [HOSTILE] };
		const yaml = specDocument({
			stack: 'docs-team',
			header: [HOSTILE],
			entries: new Map([[KEY, entry]]),
		});
		const snippet = entrySnippet(KEY, entry);
		expect([
			...textProblems(yaml, 'text', 'export'),
			...textProblems(snippet, 'text', 'import snippet'),
		]).toEqual([]);
		expect((parse(yaml) as { sessions: Record<string, unknown> }).sessions[KEY]).toEqual(fields);
		expect(
			(parse(`sessions:\n${snippet}`) as { sessions: Record<string, unknown> }).sessions[KEY]
		).toEqual(fields);
		// A task with nothing to hide stays a literal block.
		const clean = specDocument({
			stack: 'docs-team',
			header: [],
			entries: new Map([['k', { fields: { task: 'one\ntwo\n' }, envVariables: [], notes: [] }]]),
		});
		expect(clean).toContain('task: |\n      one\n      two\n');
	});
});
