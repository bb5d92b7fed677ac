/** The re-read before a write: what counts as the session the plan saw. Pure. */
import { describe, expect, it } from 'vitest';
import { conflictMessage, recheck } from '../../src/apply/guard.js';
import { MARKER } from '../../src/ownership/markers.js';
import { live } from '../support/session-builders.js';

const seen = live({
	metadata: {
		[MARKER.stack]: 'docs-team',
		[MARKER.key]: 'k',
		[MARKER.applied]: 'a1',
		[MARKER.run]: 'run_plan',
		team: 'docs',
	},
});

describe('recheck', () => {
	it('lets a write go ahead when only activity and fields other than the markers moved', () => {
		const now = {
			...seen,
			status: 'paused',
			label: 'renamed',
			metadata: { ...seen.metadata, team: 'x' },
		};
		expect(recheck(seen, now)).toEqual({ state: 'unchanged' });
	});

	it('names the markers another writer changed: applied, run, forgotten, adopted', () => {
		const applied = { ...seen.metadata, [MARKER.applied]: 'a2', [MARKER.run]: 'run_other' };
		expect(recheck(seen, { ...seen, metadata: applied })).toEqual({
			state: 'changed',
			markers: [MARKER.applied, MARKER.run],
			what: 'applied by run run_other',
		});
		// A forget empties every marker, which reads as none.
		expect(recheck(seen, { ...seen, metadata: { team: 'docs' } })).toMatchObject({
			state: 'changed',
			markers: [MARKER.applied, MARKER.key, MARKER.run, MARKER.stack],
			what: 'forgotten: its markers were emptied',
		});
		const unmarked = live({ metadata: {} });
		const adopted = { ...unmarked, metadata: { [MARKER.stack]: 's', [MARKER.key]: 'k' } };
		expect(recheck(unmarked, adopted)).toMatchObject({
			state: 'changed',
			what: 'adopted as k of stack s',
		});
	});

	it('names a session taken over by another stack, or given another key', () => {
		const takenOver = { ...seen.metadata, [MARKER.stack]: 'platform', [MARKER.key]: 'k' };
		expect(recheck(seen, { ...seen, metadata: takenOver })).toEqual({
			state: 'changed',
			markers: [MARKER.stack],
			what: 'taken over by stack platform',
		});
		const rekeyed = { ...seen.metadata, [MARKER.key]: 'renamed' };
		expect(recheck(seen, { ...seen, metadata: rekeyed })).toMatchObject({
			what: 'now key renamed',
		});
		const { [MARKER.key]: _key, ...keyless } = seen.metadata;
		expect(recheck(seen, { ...seen, metadata: keyless })).toMatchObject({
			what: 'now key (none)',
		});
		const unmarked = live({ metadata: {} });
		expect(recheck(unmarked, { ...unmarked, metadata: { [MARKER.stack]: 's' } })).toMatchObject({
			what: 'adopted as ? of stack s',
		});
	});

	it('names the markers themselves when no run wrote them: a stamp or protect changed by hand', () => {
		const stamp = { ...seen.metadata, [MARKER.applied]: 'a2', [MARKER.protect]: 'true' };
		expect(recheck(seen, { ...seen, metadata: stamp })).toEqual({
			state: 'changed',
			markers: [MARKER.applied, MARKER.protect],
			what: `${MARKER.applied}, ${MARKER.protect} changed`,
		});
		const { [MARKER.run]: _run, ...runless } = seen.metadata;
		expect(recheck(seen, { ...seen, metadata: runless })).toMatchObject({
			what: `${MARKER.run} changed`,
		});
	});

	it('tells archived and deleted since the plan apart', () => {
		expect(recheck(seen, { ...seen, archived: true })).toEqual({ state: 'archived' });
		expect(recheck({ ...seen, archived: true }, { ...seen, archived: true })).toEqual({
			state: 'unchanged',
		});
		expect(recheck(seen, undefined)).toEqual({ state: 'gone' });
		expect(conflictMessage({ state: 'gone' }, 'not updated')).toBe(
			'changed by another writer since the plan (deleted); not updated'
		);
	});
});
