import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
	adoptionKeys,
	adoptionSnippet,
	exportSpec,
	SCHEMA_MODELINE,
} from '../../../src/spec/export/index.js';
import { planSessions } from '../../../src/plan/diff.js';
import { MARKER } from '../../../src/ownership/markers.js';
import { buildEnvStamp, formatStamp } from '../../../src/ownership/stamp.js';
import { parseSpec } from '../../../src/spec/merge.js';
import type { Spec } from '../../../src/kinds/session/desired.js';
import { desired, live, liveFor } from '../../support/session-builders.js';
import type { LiveSession } from '../../../src/kinds/session/live.js';

function load(text: string): Spec {
	const result = parseSpec([{ file: 'export.yaml', text }]);
	if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
	return result.spec;
}

const kinds = (spec: Spec, sessions: LiveSession[]) =>
	planSessions(spec, sessions).actions.map((action) => `${action.kind}:${action.key}`);

describe('export --stack: the stack as a spec', () => {
	it('writes a valid spec, with the modeline, that plans to no change', async () => {
		const entries = [
			desired('architecture-review', {
				label: 'Architecture review',
				task: 'Inspect this repository.\nExplain its architecture.\n',
				tags: ['docs', 'managed'],
				visibility: 'organization',
				repo: { owner: 'agentuity', name: 'sdk', branch: 'main' },
				metadata: { team: 'docs', ticket: 'DOCS-1' },
				env: { DOCS_API_TOKEN: '${DOCS_API_TOKEN}' },
			}),
			desired('nightly', {
				task: '  Indented first line\nkeeps its indent\n\n\n',
				workflowMode: 'loop',
				defaultAgent: 'scout',
				enabledAgents: ['lead', 'scout'],
				repos: [{ owner: 'agentuity', name: 'docs', branch: 'main', path: 'content' }],
				protect: true,
			}),
			desired('plain', { task: 'yes', label: 'null' }),
		];
		const sessions = await Promise.all(
			entries.map((entry) =>
				liveFor(entry, {
					fields: { repo: entry.repo, repos: entry.repos },
					env: { DOCS_API_TOKEN: 'secret' },
				})
			)
		);
		const result = exportSpec(sessions, { stack: 'docs-team', select: 'stack' });
		expect(result.text.split('\n')[0]).toBe(`# ${SCHEMA_MODELINE}`);
		expect(result.count).toBe(3);
		expect(result.warnings).toEqual([]);
		const spec = load(result.text);
		expect(spec.stack).toBe('docs-team');
		expect(spec.prune).toBe('archive');
		expect(kinds(spec, sessions)).toEqual([
			'noop:architecture-review',
			'noop:nightly',
			'noop:plain',
		]);
		expect(spec.sessions.map((s) => s.task)).toEqual(entries.map((e) => e.task));
	});

	it('writes multi-line tasks as literal blocks and repos in shorthand where it says it all', async () => {
		const entry = desired('a', {
			task: 'one\ntwo\n',
			repo: { owner: 'o', name: 'n', branch: 'main' },
		});
		const { text } = exportSpec([await liveFor(entry, { fields: { repo: entry.repo } })], {
			stack: 'docs-team',
			select: 'stack',
		});
		expect(text).toContain('    task: |\n      one\n      two\n');
		expect(text).toContain('    repo: o/n#main\n');
		expect(text).not.toMatch(/coder-sessions\/(stack|key|applied)/);
	});

	it('writes env keys as ${KEY} references, lists them at the top, and never a value', async () => {
		const entry = desired('a', { env: { API_TOKEN: '${API_TOKEN}', B_KEY: '${B_KEY}' } });
		const session = await liveFor(entry, { env: { API_TOKEN: 'hunter2', B_KEY: 'swordfish' } });
		const { text } = exportSpec([session], { stack: 'docs-team', select: 'stack' });
		expect(parse(text).sessions.a.env).toEqual({ API_TOKEN: '${API_TOKEN}', B_KEY: '${B_KEY}' });
		expect(text).toMatch(/^# .*Set before apply: API_TOKEN, B_KEY\.$/m);
		expect(text).not.toMatch(/hunter2|swordfish/);
	});

	it('says when an env template will not round-trip', async () => {
		const entry = desired('a', { env: { AUTH: 'Bearer ${TOKEN}' } });
		const result = exportSpec([await liveFor(entry)], { stack: 'docs-team', select: 'stack' });
		expect(result.warnings).toEqual([
			'a: env.AUTH was applied from a template other than ${AUTH}: write the original template, or plan will replace the session (unless AUTH holds the applied value and CODER_SESSIONS_ENV_KEY is set as when it was applied)',
		]);
		expect(result.text).toContain('  # env.AUTH was applied from a template other than ${AUTH}');
	});

	it('leaves out archived sessions, other stacks, unmarked sessions, and keeps the duplicate plan keeps (the newest)', async () => {
		const old = await liveFor(desired('a'), { fields: { createdAt: '2026-01-01T00:00:00Z' } });
		const copy = await liveFor(desired('a'), { fields: { createdAt: '2026-01-02T00:00:00Z' } });
		const archived = await liveFor(desired('b'), { fields: { archived: true } });
		const foreign = await liveFor(desired('c'), { stack: 'other' });
		const unmarked = live({ task: 'hand-made', label: 'Hand made' });
		const result = exportSpec([copy, old, archived, foreign, unmarked], {
			stack: 'docs-team',
			select: 'stack',
		});
		expect(Object.keys(parse(result.text).sessions)).toEqual(['a']);
		expect(result.warnings).toEqual([
			`a: ${old.id} duplicates ${copy.id}, which is exported; plan will archive the duplicate`,
		]);
	});

	it('leaves out what a spec cannot hold (control characters from the Hub), saying so, and stays valid', () => {
		const marked = (key: string) => ({ [MARKER.stack]: 'docs-team', [MARKER.key]: key });
		const sessions = [
			live({
				task: 'Review.',
				label: 'clear \x1b[2J screen',
				tags: ['ok', 'bell\x07'],
				metadata: { ...marked('labelled'), team: 'docs', 'bad\x1bkey': 'x', note: 'nul\x00' },
			}),
			live({ task: 'Task \x1b]0;title\x07', metadata: marked('hostile-task') }),
		];
		const result = exportSpec(sessions, { stack: 'docs-team', select: 'stack' });
		expect(result.count).toBe(1);
		expect(result.warnings).toEqual([
			expect.stringMatching(
				/^hostile-task: left out: the task of codesess_\d+: the Hub's value contains the control character U\+001B, which a spec cannot hold$/
			),
			"labelled: label left out: the Hub's value contains the control character U+001B, which a spec cannot hold",
			"labelled: tags left out: the Hub's value contains the control character U+0007, which a spec cannot hold",
			'labelled: metadata "bad\\u001bkey" left out: the Hub\'s value contains the control character U+001B, which a spec cannot hold',
			'labelled: metadata "note" left out: the Hub\'s value contains the control character U+0000, which a spec cannot hold',
		]);
		const spec = load(result.text);
		expect(spec.sessions.map((s) => [s.key, s.metadata])).toEqual([['labelled', { team: 'docs' }]]);
	});

	it('exports an empty stack as a valid empty spec', () => {
		const spec = load(exportSpec([], { stack: 'empty', select: 'stack' }).text);
		expect(spec.sessions).toEqual([]);
	});
});

describe('export --unmanaged: unmarked sessions to adopt', () => {
	it('derives keys from labels, adds adopt:, and plans adopts only', () => {
		const first = live({
			label: 'Bug triage',
			task: 'Triage bugs.',
			createdAt: '2026-01-01T00:00:00Z',
			metadata: { owner: 'maria' },
		});
		const second = live({
			label: 'Bug triage',
			task: 'Triage more bugs.',
			createdAt: '2026-01-02T00:00:00Z',
			envKeys: ['GH_TOKEN'],
		});
		const blank = live({ label: '!!!', task: 'No label to speak of.' });
		const result = exportSpec([second, blank, first], { stack: 'team', select: 'unmanaged' });
		const spec = load(result.text);
		expect(spec.prune).toBe('keep');
		expect(spec.sessions.map((s) => [s.key, s.adopt])).toEqual([
			['bug-triage', first.id],
			['bug-triage-2', second.id],
			[blank.id, blank.id],
		]);
		expect(spec.sessions[1]?.env).toEqual({ GH_TOKEN: '${GH_TOKEN}' });
		expect(kinds(spec, [first, second, blank])).toEqual([
			'adopt:bug-triage',
			'adopt:bug-triage-2',
			`adopt:${blank.id}`,
		]);
		const plan = planSessions(spec, [first, second, blank]);
		expect(plan.actions.every((a) => a.kind === 'adopt' && a.changes.length === 0)).toBe(true);
	});

	it('never derives a key the stack already uses', async () => {
		const managed = await liveFor(desired('bug-triage'), { stack: 'team' });
		const unmarked = live({ label: 'Bug triage', task: 'x' });
		expect(adoptionKeys([managed, unmarked], 'team').get(unmarked.id)).toBe('bug-triage-2');
		const all = load(exportSpec([managed, unmarked], { stack: 'team', select: 'all' }).text);
		expect(all.prune).toBe('archive');
		expect(all.sessions.map((s) => [s.key, s.adopt])).toEqual([
			['bug-triage', undefined],
			['bug-triage-2', unmarked.id],
		]);
	});

	it('narrows with --search (label, task, metadata values) and then keeps the rest (prune: keep)', async () => {
		const a = await liveFor(desired('alpha', { label: 'Docs review' }));
		const b = await liveFor(desired('beta', { metadata: { ticket: 'REVIEW-9' } }));
		const c = await liveFor(desired('gamma'));
		const spec = load(
			exportSpec([a, b, c], { stack: 'docs-team', select: 'stack', search: 'review' }).text
		);
		expect(spec.sessions.map((s) => s.key)).toEqual(['alpha', 'beta']);
		expect(spec.prune).toBe('keep');
	});

	it('prints a pasteable entry for import', () => {
		const session = live({
			label: 'Quick fix',
			task: 'Fix it.\nThen test it.\n',
			envKeys: ['TOKEN'],
			metadata: { [MARKER.stack]: 'x' },
		});
		const snippet = adoptionSnippet(session, 'quick-fix');
		// fmt's layout: task and label first, adopt: last.
		expect(snippet.startsWith('  quick-fix:\n    task: |\n')).toBe(true);
		expect(snippet).toMatch(/\n {4}adopt: \S+\n$/);
		const spec = load(`version: 1\nstack: s\nsessions:\n${snippet}`);
		expect(spec.sessions[0]).toMatchObject({
			key: 'quick-fix',
			adopt: session.id,
			task: 'Fix it.\nThen test it.\n',
			env: { TOKEN: '${TOKEN}' },
		});
	});

	it('reads env keys from the env stamp when there is one', async () => {
		const entry = desired('a', { env: { ONE: '${ONE}' } });
		const stamp = await buildEnvStamp(entry, {}, undefined);
		const session = live({
			envKeys: ['ONE', 'TWO'],
			task: 't',
			metadata: { [MARKER.appliedEnv]: formatStamp(stamp!) },
		});
		const spec = load(exportSpec([session], { stack: 's', select: 'unmanaged' }).text);
		expect(spec.sessions[0]?.env).toEqual({ ONE: '${ONE}' });
	});
});
