import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import { MARKER } from '../../src/ownership/markers.js';
import { renderText } from '../../src/render/index.js';
import { refusedHazards } from '../../src/plan/safety.js';
import { formatSpecError, loadSpec } from '../../src/spec/index.js';
import { desired, live, spec } from '../support/session-builders.js';

const invalid = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));

describe('takeOver: true on an entry, the reviewable --take-over', () => {
	const foreign = live({
		task: 'Task for a',
		label: 'Theirs',
		metadata: { [MARKER.stack]: 'other', [MARKER.key]: 'b' },
	});

	it('lifts the foreign-owner hazard for that entry only', () => {
		const refused = planSessions(spec([desired('a', { adopt: foreign.id })]), [foreign]);
		expect(refusedHazards(refused).map((hazard) => hazard.kind)).toEqual(['foreign-owner']);
		expect(renderText({ plan: refused, meta: { files: [] } }, { color: false })).toContain(
			'set `takeOver: true` next to its `adopt:`'
		);

		const taken = planSessions(spec([desired('a', { adopt: foreign.id, takeOver: true })]), [
			foreign,
		]);
		expect(taken.hazards).toEqual([]);
		expect(taken.actions.map((action) => `${action.kind}:${action.key}`)).toEqual(['adopt:a']);
	});

	it('needs adopt: to name the session taken over', async () => {
		const result = await loadSpec(['take-over-without-adopt.yaml'], { cwd: invalid });
		expect(result.ok ? [] : result.errors.map(formatSpecError)).toEqual([
			'take-over-without-adopt.yaml:6:15: sessions.shared.takeOver: needs adopt: the id of the session to take over',
		]);
	});
});
