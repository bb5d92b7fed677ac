/**
 * Which sessions `export` writes and what its header says (README "export details":
 * Selection, Keys): active sessions only, never another stack's nor one the Hub spawned, unmarked
 * ones with `adopt:`, and `prune: keep` whenever the file holds part of the stack.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { adoptionKeys, exportSpec } from '../../../src/spec/export/index.js';
import { MARKER } from '../../../src/ownership/markers.js';
import type { LiveSession } from '../../../src/kinds/session/live.js';
import { live } from '../../support/session-builders.js';

const marked = (key: string, stack = 'team') => ({ [MARKER.stack]: stack, [MARKER.key]: key });
const managed = (key: string, fields: Partial<LiveSession> = {}) =>
	live({ task: `Task of ${key}.`, label: key, ...fields, metadata: { ...marked(key) } });

const keysOf = (text: string) =>
	Object.keys((parse(text) as { sessions: Record<string, unknown> }).sessions);
const headerOf = (text: string) =>
	text
		.split('\n')
		.filter((line) => line.startsWith('# '))
		.slice(1)
		.map((line) => line.slice(2));

describe('export: the header', () => {
	it('counts one session, names no adoption and no prune for --stack', () => {
		const result = exportSpec([managed('solo')], { stack: 'team', select: 'stack' });
		expect(headerOf(result.text)).toEqual([
			'Exported from the Hub by coder-sessions export: 1 session for stack team.',
			'Not exported, as the Hub does not echo them: loop, agent, savedSkillIds, skillBucketIds and sandbox.',
		]);
		expect(parse(result.text)).toMatchObject({ version: 1, stack: 'team' });
		expect(parse(result.text)).not.toHaveProperty('prune');
		expect(result.count).toBe(1);
	});

	it('says what adopt: and prune: keep do with --unmanaged, and lists the variables to set', () => {
		const result = exportSpec(
			[
				live({ task: 'One.', label: 'One', envKeys: ['TOKEN'] }),
				live({ task: 'Two.', label: 'Two', envKeys: ['API_KEY', 'TOKEN'] }),
			],
			{ stack: 'team', select: 'unmanaged' }
		);
		expect(headerOf(result.text)).toEqual([
			'Exported from the Hub by coder-sessions export: 2 sessions for stack team.',
			'Env values are never exported (the Hub does not echo them): each env entry reads the',
			'variable of its name at apply time. Set before apply: API_KEY, TOKEN.',
			'Not exported, as the Hub does not echo them: loop, agent, savedSkillIds, skillBucketIds and sandbox.',
			'Entries with adopt: take over that existing session on apply instead of creating one.',
			'prune: keep, as this file holds only part of the stack: apply leaves the rest alone.',
		]);
		expect(parse(result.text)).toMatchObject({ prune: 'keep' });
	});

	it('names adoption but keeps pruning with --all: the file holds the whole stack', () => {
		const result = exportSpec([managed('kept'), live({ task: 'Hand made.', label: 'Hand' })], {
			stack: 'team',
			select: 'all',
		});
		expect(headerOf(result.text)).toContain(
			'Entries with adopt: take over that existing session on apply instead of creating one.'
		);
		expect(result.text).not.toContain('prune: keep');
		expect(keysOf(result.text)).toEqual(['hand', 'kept']);
	});
});

describe('export: the sessions chosen', () => {
	const sessions = () => [
		managed('ours'),
		managed('archived', { archived: true }),
		live({ task: 'Theirs.', label: 'Theirs', metadata: marked('theirs', 'other') }),
		live({ task: 'Hand made.', label: 'Hand made' }),
		live({ task: 'Old.', label: 'Old hand', archived: true }),
		// A stack marker without a key (or a key without a stack) is no stack's session.
		live({ task: 'Half.', label: 'Half marked', metadata: { [MARKER.stack]: 'team' } }),
		live({ task: 'Keyed.', label: 'Key only', metadata: { [MARKER.key]: 'x' } }),
		live({ task: 'Worker.', label: 'Worker', spawned: { parentSessionId: 'codesess_1' } }),
	];

	it('--stack: the active sessions of the stack', () => {
		const result = exportSpec(sessions(), { stack: 'team', select: 'stack' });
		expect(keysOf(result.text)).toEqual(['ours']);
		expect(result.warnings).toEqual([]);
	});

	it('--unmanaged: the active unmarked sessions, never spawned ones nor other stacks', () => {
		const result = exportSpec(sessions(), { stack: 'team', select: 'unmanaged' });
		expect(keysOf(result.text)).toEqual(['half-marked', 'hand-made', 'key-only']);
		expect(result.count).toBe(3);
	});

	it('leaves out a session whose task the Hub did not return, saying so', () => {
		const blank = live({ task: '  ', label: 'Blank', metadata: marked('blank') });
		const none = live({ task: undefined, label: 'None', metadata: marked('none') });
		const result = exportSpec([blank, none, managed('kept')], { stack: 'team', select: 'stack' });
		expect(keysOf(result.text)).toEqual(['kept']);
		expect(result.warnings).toEqual([
			`blank: left out: the Hub did not return the task of ${blank.id}`,
			`none: left out: the Hub did not return the task of ${none.id}`,
		]);
		expect(result.count).toBe(1);
	});

	it('leaves out a session whose key marker the spec cannot hold, saying so', () => {
		const odd = live({ task: 'Odd.', metadata: marked('Not A Key') });
		const result = exportSpec([odd, managed('kept')], { stack: 'team', select: 'stack' });
		expect(keysOf(result.text)).toEqual(['kept']);
		expect(result.warnings).toEqual([
			`"Not A Key": left out: ${odd.id} carries a key the spec cannot hold`,
		]);
	});

	it('--search matches label, task or a metadata value, whatever the case', () => {
		const labelled = managed('a', { label: 'Release NOTES' });
		const tasked = managed('b', { task: 'Write the notes.' });
		const tagged = live({ task: 'C.', metadata: { ...marked('c'), topic: 'notes' } });
		const keyed = live({ task: 'D.', metadata: { ...marked('d'), notes: 'none' } });
		// Label and task are searched each on its own: "no" + "tes" is no match.
		const split = managed('e', { label: 'Release no', task: 'tes of the week.' });
		const result = exportSpec([labelled, tasked, tagged, keyed, split], {
			stack: 'team',
			select: 'stack',
			search: 'Notes',
		});
		expect(keysOf(result.text)).toEqual(['a', 'b', 'c']);
		expect(parse(result.text)).toMatchObject({ prune: 'keep' });
	});
});

describe('adoptionKeys', () => {
	it('gives keys to unmarked sessions and to the extra ones, never to the stack or others', () => {
		const ours = managed('hand-made');
		const unmarked = live({ label: 'Hand made', createdAt: '2026-01-01T00:00:00Z' });
		const foreign = live({
			label: 'Hand made',
			createdAt: '2026-01-02T00:00:00Z',
			metadata: marked('theirs', 'other'),
		});
		const archived = live({ label: 'Hand made', archived: true });
		const keys = adoptionKeys([ours, unmarked, foreign, archived], 'team', [foreign]);
		expect([...keys]).toEqual([
			[unmarked.id, 'hand-made-2'],
			[foreign.id, 'hand-made-3'],
		]);
		// Without extra, another stack's session gets no key.
		expect([...adoptionKeys([ours, unmarked, foreign], 'team')]).toEqual([
			[unmarked.id, 'hand-made-2'],
		]);
	});

	it("gives out the key of an archived session, or of another stack's", () => {
		const archived = managed('hand-made', { archived: true });
		const theirs = live({ label: 'Notes', metadata: marked('notes', 'other') });
		const unmarked = live({ label: 'Hand made' });
		const other = live({ label: 'Notes' });
		expect([...adoptionKeys([archived, theirs, unmarked, other], 'team')]).toEqual([
			[unmarked.id, 'hand-made'],
			[other.id, 'notes'],
		]);
	});

	it('does not count an unmarked session passed as extra twice', () => {
		const unmarked = live({ label: 'Once' });
		expect([...adoptionKeys([unmarked], 'team', [unmarked])]).toEqual([[unmarked.id, 'once']]);
	});
});
