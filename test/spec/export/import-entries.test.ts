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
});
