/**
 * One exported entry: every field the Hub echoes, written so that the re-plan shows no change,
 * user metadata without the tool's markers, env as `${KEY}` references, and a note for each
 * value left out (README "export details": Fields, Env).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportSpec } from '../../../src/spec/export/index.js';
import { planSessions } from '../../../src/plan/diff.js';
import { MARKER } from '../../../src/ownership/markers.js';
import { buildEnvStamp, formatStamp } from '../../../src/ownership/stamp.js';
import { parseSpec } from '../../../src/spec/merge.js';
import type { Spec } from '../../../src/kinds/session/desired.js';
import type { LiveSession } from '../../../src/kinds/session/live.js';
import { desired, live, liveFor } from '../../support/session-builders.js';

function load(text: string): Spec {
	const result = parseSpec([{ file: 'export.yaml', text }]);
	if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
	return result.spec;
}

const exported = (sessions: LiveSession[], workspaceKeys?: ReadonlyMap<string, string>) =>
	exportSpec(sessions, {
		stack: 'docs-team',
		select: 'stack',
		...(workspaceKeys ? { workspaceKeys } : {}),
	});

const entryOf = (text: string, key: string) =>
	(parse(text) as { sessions: Record<string, Record<string, unknown>> }).sessions[key];

const changes = (text: string, sessions: LiveSession[]) =>
	planSessions(load(text), sessions).actions.map((action) => `${action.kind}:${action.key}`);

const LINT = { skillId: 'lint', repo: 'acme/skills' };
const DOCS = { skillId: 'docs', repo: 'acme/skills' };

describe('an exported entry', () => {
	it('leaves out an empty id the Hub holds, so the exported spec validates and plans no change', async () => {
		const entry = desired('a', { task: 'Task.' });
		const session = await liveFor(entry, {
			fields: { defaultAgent: '', workspaceId: '', enabledAgents: ['', 'scout'] },
		});
		const result = exported([session]);
		const written = entryOf(result.text, 'a');
		expect(written).not.toHaveProperty('defaultAgent');
		expect(written).not.toHaveProperty('workspaceId');
		expect(written).not.toHaveProperty('enabledAgents');
		expect(result.warnings).toEqual([
			'a: enabledAgents left out: the Hub holds an empty agent id in it',
		]);
		expect(changes(result.text, [session])).toEqual(['noop:a']);
	});

	it('leaves out skills the Hub added from saved skills, saying so, and plans no change', async () => {
		const entry = desired('a', { task: 'Task.', savedSkillIds: ['sk_lint'] });
		// The Hub expands the saved skill into the session's skills.
		const session = await liveFor(entry, { fields: { detail: { skills: [LINT] } } });
		const result = exported([session]);
		expect(result.warnings).toEqual(['a: skills left out: the Hub adds them from savedSkillIds']);
		expect(entryOf(result.text, 'a')).not.toHaveProperty('skills');
		expect(changes(result.text, [session])).toEqual(['noop:a']);
	});

	it('names every field the Hub adds skills from, and each note of an entry on a line of its own', async () => {
		const entry = desired('a', {
			task: 'Task.',
			repo: { owner: 'acme', name: 'app' },
			savedSkillIds: ['sk_lint'],
			skillBucketIds: ['bkt_docs'],
		});
		const session = await liveFor(entry, {
			fields: {
				repo: { owner: 'acme', name: 'app', branch: 'next' },
				detail: { skills: [LINT, DOCS] },
			},
		});
		const result = exported([session]);
		expect(result.warnings).toEqual([
			'a: skills left out: the Hub adds them from savedSkillIds, skillBucketIds',
			"a: repo left out: the Hub's value differs from the one last applied",
		]);
		expect(result.text).toContain(
			"  # skills left out: the Hub adds them from savedSkillIds, skillBucketIds\n  # repo left out: the Hub's value differs from the one last applied\n  a:"
		);
	});

	it('writes skills under a stamp from before saved skills and buckets were stamped', async () => {
		const entry = desired('a', { task: 'Task.' });
		const session = await liveFor(entry, { fields: { detail: { skills: [DOCS] } } });
		const stamp = JSON.parse(session.metadata[MARKER.applied]!) as { h: Record<string, string> };
		delete stamp.h.savedSkillIds;
		delete stamp.h.skillBucketIds;
		const older = {
			...session,
			metadata: { ...session.metadata, [MARKER.applied]: JSON.stringify(stamp) },
		};
		const result = exported([older]);
		expect(result.warnings).toEqual([]);
		expect(entryOf(result.text, 'a')).toMatchObject({ skills: [DOCS] });
	});

	it('writes skills the entry set beside saved skills', async () => {
		const entry = desired('a', { task: 'Task.', savedSkillIds: ['sk_lint'], skills: [DOCS] });
		const session = await liveFor(entry, { fields: { detail: { skills: [DOCS] } } });
		const result = exported([session]);
		expect(result.warnings).toEqual([]);
		expect(entryOf(result.text, 'a')).toMatchObject({ skills: [DOCS] });
	});

	it('leaves out a repo the Hub changed since it was applied, saying so', async () => {
		const entry = desired('a', { task: 'Task.', repo: { owner: 'acme', name: 'app' } });
		const moved = await liveFor(entry, {
			fields: { repo: { owner: 'acme', name: 'app', branch: 'next' } },
		});
		const result = exported([moved]);
		expect(result.warnings).toEqual([
			"a: repo left out: the Hub's value differs from the one last applied",
		]);
		expect(entryOf(result.text, 'a')).not.toHaveProperty('repo');

		const same = await liveFor(entry, { fields: { repo: { owner: 'acme', name: 'app' } } });
		expect(entryOf(exported([same]).text, 'a')).toMatchObject({ repo: 'acme/app' });
	});

	it('writes a session without a stamp with the repo the Hub echoes', () => {
		const session = live({
			task: 'Task.',
			repo: { owner: 'acme', name: 'app', branch: 'main' },
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
		});
		expect(entryOf(exported([session]).text, 'a')).toMatchObject({ repo: 'acme/app#main' });
	});

	it('names an exported workspace by its key, any other by its id', async () => {
		const entry = desired('a', { task: 'Task.', workspaceId: 'ws_main' });
		const session = await liveFor(entry);
		const byKey = exported([session], new Map([['ws_main', 'main']]));
		expect(entryOf(byKey.text, 'a')).toMatchObject({ workspace: 'main' });
		expect(entryOf(byKey.text, 'a')).not.toHaveProperty('workspaceId');

		const byId = exported([session], new Map([['ws_other', 'other']]));
		expect(entryOf(byId.text, 'a')).toMatchObject({ workspaceId: 'ws_main' });
		expect(entryOf(byId.text, 'a')).not.toHaveProperty('workspace');
	});

	it('keeps every user metadata key, in order, and none of the markers', async () => {
		const entry = desired('a', {
			task: 'Task.',
			metadata: { zone: 'eu', owner: 'maria', 'team.name': 'docs' },
			protect: true,
		});
		const session = await liveFor(entry);
		const { text, warnings } = exported([session]);
		expect(warnings).toEqual([]);
		expect(text).toContain(
			'    metadata:\n      owner: maria\n      team.name: docs\n      zone: eu\n    protect: true\n'
		);
		expect(text).not.toMatch(/coder-sessions\/(stack|key|applied|protect)/);
		expect(changes(text, [session])).toEqual(['noop:a']);
	});

	it('says what it leaves out of the metadata: an empty key, a key of several lines', () => {
		const session = live({
			task: 'Task.',
			metadata: {
				[MARKER.stack]: 'docs-team',
				[MARKER.key]: 'a',
				'': 'blank',
				kept: '',
				'two\nlines': 'x',
				notes: 'first\nsecond',
			},
		});
		const result = exported([session]);
		expect(result.warnings).toEqual([
			'a: metadata with an empty key left out',
			'a: metadata "two\\nlines" left out: the Hub\'s value contains the control character U+000A, which a spec cannot hold',
		]);
		expect(entryOf(result.text, 'a')?.metadata).toEqual({ kept: '', notes: 'first\nsecond' });
	});

	it('writes no metadata for a session that has only the markers', () => {
		const session = live({
			task: 'Task.',
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
		});
		expect(entryOf(exported([session]).text, 'a')).toEqual({
			task: 'Task.',
			label: 'label',
			visibility: 'private',
		});
	});

	it('writes env keys the Hub lists, without a stamp, and leaves out a key no variable can name', () => {
		const session = live({
			task: 'Task.',
			envKeys: ['B_TOKEN', 'bad-name', 'A_TOKEN', 'BELL\x07'],
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
		});
		const result = exported([session]);
		expect(result.warnings).toEqual([
			'a: env "bad-name" left out: not a valid variable name',
			'a: env "BELL\\u0007" left out: not a valid variable name',
		]);
		expect(entryOf(result.text, 'a')?.env).toEqual({
			B_TOKEN: '${B_TOKEN}',
			A_TOKEN: '${A_TOKEN}',
		});
		expect(result.text).toContain('Set before apply: A_TOKEN, B_TOKEN.');
	});

	it('writes the env stamp keys in order, each as its own reference, with no note', async () => {
		const entry = desired('a', { task: 'Task.', env: { ZED: '${ZED}', ALPHA: '${ALPHA}' } });
		const stamp = await buildEnvStamp(entry, { ZED: 'z-secret', ALPHA: 'a-secret' }, undefined);
		const session = live({
			task: 'Task.',
			envKeys: ['ZED', 'ALPHA'],
			metadata: {
				[MARKER.stack]: 'docs-team',
				[MARKER.key]: 'a',
				[MARKER.appliedEnv]: formatStamp(stamp!),
			},
		});
		const result = exported([session]);
		expect(result.warnings).toEqual([]);
		expect(result.text).toContain('    env:\n      ALPHA: ${ALPHA}\n      ZED: ${ZED}\n');
		expect(result.text).not.toMatch(/secret/);
	});

	it('escapes text the Hub holds that the spec would read as a placeholder, and plans no change', async () => {
		const entry = desired('a', {
			task: 'Use ${var.region} in ${each.key}; keep $$${HOME}, $$${var.a} and ${PATH} as they are.',
			label: 'L ${var.x}',
			tags: ['${each.value}', 'plain'],
			metadata: { shell: '${PATH}', cost: '$$ 5' },
		});
		const session = await liveFor(entry);
		const result = exported([session]);
		expect(result.warnings).toEqual([]);
		expect(entryOf(result.text, 'a')).toMatchObject({
			task: 'Use $${var.region} in $${each.key}; keep $$${HOME}, $$$${var.a} and ${PATH} as they are.',
			label: 'L $${var.x}',
			tags: ['$${each.value}', 'plain'],
			metadata: { shell: '${PATH}', cost: '$$ 5' },
		});
		expect(load(result.text).sessions[0]).toMatchObject({
			task: entry.task,
			label: entry.label,
			metadata: entry.metadata,
		});
		expect(changes(result.text, [session])).toEqual(['noop:a']);
	});

	it('leaves out text no spec string can write ("$${" always reads "${"), saying so', () => {
		const metadata = { [MARKER.stack]: 'docs-team' };
		const sessions = [
			live({
				task: 'Task.',
				label: 'make $${HOME}',
				metadata: { ...metadata, [MARKER.key]: 'a', cost: 'x $${y}', kept: '${PATH}' },
			}),
			live({ task: 'echo $${HOME}', metadata: { ...metadata, [MARKER.key]: 'b' } }),
		];
		const result = exported(sessions);
		const why =
			'the Hub\'s value holds "$${" (or "{" after another even number of "$"), which a spec string reads as "${"';
		expect(result.warnings).toEqual([
			`a: label left out: ${why}`,
			`a: metadata "cost" left out: ${why}`,
			`b: left out: the task of ${sessions[1]!.id}: ${why}`,
		]);
		expect(entryOf(result.text, 'a')).toEqual({
			task: 'Task.',
			visibility: 'private',
			metadata: { kept: '${PATH}' },
		});
		expect(changes(result.text, sessions.slice(0, 1))).toEqual(['noop:a']);
	});

	it('leaves out a metadata key the spec would read as a placeholder, saying so', () => {
		const session = live({
			task: 'Task.',
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a', '${var.k}': 'v', kept: 'x' },
		});
		const result = exported([session]);
		expect(result.warnings).toEqual([
			'a: metadata "${var.k}" left out: a spec key cannot hold a placeholder (${var.*} or ${each.*})',
		]);
		expect(entryOf(result.text, 'a')?.metadata).toEqual({ kept: 'x' });
		expect(changes(result.text, [session])).toEqual(['noop:a']);
	});

	it('leaves out a list or a repo holding a character a spec cannot hold', () => {
		const session = live({
			task: 'Task.',
			enabledAgents: ['lead', 'scout\x1b[2J'],
			repos: [{ owner: 'acme', name: 'app', path: 'docs\x07' }],
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
		});
		const result = exported([session]);
		expect(result.warnings).toEqual([
			"a: enabledAgents left out: the Hub's value contains the control character U+001B, which a spec cannot hold",
			"a: repos left out: the Hub's value contains the control character U+0007, which a spec cannot hold",
		]);
		expect(entryOf(result.text, 'a')).toEqual({
			task: 'Task.',
			label: 'label',
			visibility: 'private',
		});
	});
});
