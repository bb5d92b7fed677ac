import { describe, expect, it } from 'vitest';
import {
	findImportSessions,
	importEntryKeys,
	specWithAdoptions,
} from '../../../src/spec/export/import-entries.js';
import { UserError } from '../../../src/core/errors.js';
import { desired, live, liveFor, spec } from '../../support/session-builders.js';

describe('import: which entry a session becomes', () => {
	const session = live({ label: 'Bug triage', task: 'Triage.' });

	it('takes --key, else the entry whose adopt: names the session, else the derived key', () => {
		const wanted = spec([
			desired('bug-triage'),
			desired('named', { adopt: session.id }),
			desired('k'),
		]);
		expect(importEntryKeys(wanted, [session], [session], 'k').keys.get(session.id)).toBe('k');
		expect(importEntryKeys(wanted, [session], [session]).keys.get(session.id)).toBe('named');
		const plain = spec([desired('bug-triage')]);
		expect(importEntryKeys(plain, [session], [session])).toEqual({
			keys: new Map([[session.id, 'bug-triage']]),
			snippets: [],
		});
	});

	it('returns the entry to paste when the spec lacks it', () => {
		const { snippets } = importEntryKeys(spec([]), [session], [session]);
		expect(snippets).toEqual([
			`  bug-triage:\n    task: Triage.\n    label: Bug triage\n    visibility: private\n    adopt: ${session.id}\n`,
		]);
	});

	it('refuses unknown and archived sessions', () => {
		const archived = live({ archived: true });
		expect(() => findImportSessions(['codesess_x', 'codesess_y'], [])).toThrow(
			new UserError(
				'sessions not found on the Hub: codesess_x, codesess_y (check the id, and --org)'
			)
		);
		expect(() => findImportSessions([archived.id], [archived])).toThrow(
			/archived sessions cannot be adopted/
		);
	});

	it('sets adopt: on free entries only', async () => {
		const holder = await liveFor(desired('taken'));
		const wanted = spec([
			desired('free'),
			desired('taken'),
			desired('other', { adopt: 'codesess_other' }),
		]);
		const adopted = specWithAdoptions(wanted, [holder], new Map([[session.id, 'free']]));
		expect(adopted.sessions.find((entry) => entry.key === 'free')?.adopt).toBe(session.id);
		expect(() => specWithAdoptions(wanted, [holder], new Map([[session.id, 'taken']]))).toThrow(
			`sessions.taken manages ${holder.id} already; import ${session.id} as another entry with --key`
		);
		expect(() => specWithAdoptions(wanted, [holder], new Map([[session.id, 'other']]))).toThrow(
			`sessions.other adopts codesess_other, not ${session.id}`
		);
	});

	it('refuses one unknown session by name, and names every archived one', () => {
		const one = live({ archived: true });
		const two = live({ archived: true });
		expect(() => findImportSessions(['codesess_x'], [])).toThrow(
			new UserError('session not found on the Hub: codesess_x (check the id, and --org)')
		);
		expect(() => findImportSessions([one.id, two.id, session.id], [one, two, session])).toThrow(
			new UserError(
				`archived sessions cannot be adopted (archiving cannot be undone): ${one.id}, ${two.id}`
			)
		);
		expect(findImportSessions([session.id], [one, session])).toEqual([session]);
	});

	it('refuses sessions the Hub spawned, saying where each came from', () => {
		const worker = live({ spawned: { parentSessionId: 'codesess_lead', sessionKind: 'worker' } });
		const derived = live({ spawned: { parentSessionId: 'codesess_lead' } });
		expect(() =>
			findImportSessions([worker.id, session.id, derived.id], [worker, session, derived])
		).toThrow(
			new UserError(
				`sessions spawned by the Hub cannot be imported (no stack manages them): ${worker.id} (a worker of codesess_lead), ${derived.id} (derived from codesess_lead); import the session each came from`
			)
		);
	});

	it("derives a key for another stack's session beside the unmarked ones, never a key in use", async () => {
		const ours = await liveFor(desired('bug-triage'), { stack: 's' });
		const foreign = live({
			label: 'Bug triage',
			task: 'Theirs.',
			metadata: { 'coder-sessions/stack': 'other', 'coder-sessions/key': 'triage' },
		});
		const wanted = spec([desired('bug-triage')], { stack: 's' });
		const { keys, snippets } = importEntryKeys(wanted, [ours, session, foreign], [foreign]);
		expect(keys).toEqual(new Map([[foreign.id, 'bug-triage-3']]));
		expect(snippets).toHaveLength(1);
		expect(snippets[0]).toContain(`  bug-triage-3:\n    task: Theirs.\n`);
	});

	it('refuses two sessions for one entry, and an entry declared archived', () => {
		const other = live({ label: 'Other' });
		const wanted = spec([desired('free'), desired('gone', { state: 'archived' })]);
		expect(() =>
			specWithAdoptions(
				wanted,
				[],
				new Map([
					[session.id, 'free'],
					[other.id, 'free'],
				])
			)
		).toThrow(
			new UserError(
				`${session.id} and ${other.id} would both become sessions.free; import them one at a time with --key`
			)
		);
		expect(() => specWithAdoptions(wanted, [], new Map([[session.id, 'gone']]))).toThrow(
			new UserError(
				`sessions.gone is declared state: archived; import ${session.id} as an active entry`
			)
		);
	});

	it('adopts into an entry whose adopt: names the same session, leaving other entries as they are', async () => {
		const archivedHolder = await liveFor(desired('named'), { fields: { archived: true } });
		const otherStack = await liveFor(desired('named'), { stack: 'elsewhere' });
		const wanted = spec([desired('named', { adopt: session.id }), desired('kept')]);
		const adopted = specWithAdoptions(
			wanted,
			[archivedHolder, otherStack],
			new Map([[session.id, 'named']])
		);
		const adopts = Object.fromEntries(adopted.sessions.map((entry) => [entry.key, entry.adopt]));
		expect(adopts).toEqual({ named: session.id, kept: undefined });
		const kept = (of: typeof wanted) => of.sessions.find((entry) => entry.key === 'kept');
		expect(kept(adopted)).toBe(kept(wanted));
	});
});
