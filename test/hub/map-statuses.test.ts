import type { CoderSession } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { toLiveSession } from '../../src/hub/map.js';

function detail(
	status: string,
	bucket: CoderSession['bucket'],
	historyOnly: boolean
): CoderSession {
	return {
		sessionId: 'codesess_000000000001',
		label: 'x',
		status,
		mode: 'sandbox',
		visibility: 'private',
		workflowMode: 'standard',
		createdAt: '2026-01-01T00:00:00Z',
		tags: [],
		skills: [],
		enabledAgents: [],
		bucket,
		runtimeAvailable: false,
		controlAvailable: false,
		wakeAvailable: false,
		historyOnly,
		liveExpected: false,
	};
}

describe('which Hub statuses the plan treats as history', () => {
	it.each(['failed', 'error', 'stopped', 'shutdown'])(
		'takes a %s session as ended even when the Hub leaves it outside the history bucket',
		(status) => {
			expect(toLiveSession(detail(status, 'paused', false)).archived).toBe(true);
		}
	);

	it('keeps a paused session active: it can be resumed', () => {
		const paused = { ...detail('paused', 'paused', false), wakeAvailable: true };
		expect(toLiveSession(paused).archived).toBe(false);
	});
});
