/** The session detail read in the SDK's shapes only: env keys from `env`, the workspace from `workspace`. */
import { CoderSessionSchema, type CoderSession } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { toLiveSession } from '../../src/hub/map.js';

function detail(extra: Record<string, unknown>): CoderSession {
	return CoderSessionSchema.parse({
		sessionId: 'codesess_000000000001',
		label: 'L',
		status: 'active',
		mode: 'sandbox',
		visibility: 'private',
		workflowMode: 'standard',
		createdAt: '2026-01-01T00:00:00.000Z',
		tags: [],
		skills: [],
		bucket: 'running',
		runtimeAvailable: true,
		controlAvailable: true,
		wakeAvailable: false,
		historyOnly: false,
		liveExpected: true,
		task: 'T',
		metadata: {},
		...extra,
	});
}

describe('toLiveSession', () => {
	it('keeps the rest of the detail for the field table, never the env values', () => {
		const live = toLiveSession(
			detail({ env: { TOKEN: 'hunter2' }, skills: [{ skillId: 'pdf', repo: 'a/skills' }] })
		);
		expect(live.detail?.skills).toEqual([{ skillId: 'pdf', repo: 'a/skills' }]);
		expect(live.detail).not.toHaveProperty('env');
		expect(JSON.stringify(live.detail)).not.toContain('hunter2');
	});

	it('reads env keys from the env mapping and the workspace id from the workspace object', () => {
		const live = toLiveSession(
			detail({
				env: { B: '', A: '' },
				workspace: { id: 'ws_1', name: 'Docs', scope: 'org' },
			})
		);
		expect(live.envKeys).toEqual(['A', 'B']);
		expect(live.workspaceId).toBe('ws_1');
	});

	it('takes empty echoed values for names only: no value digest to compare', () => {
		const live = toLiveSession(detail({ env: { TOKEN: '' } }));
		expect(live.envEcho).toBeUndefined();
	});

	it('digests echoed values, never keeping them', () => {
		const live = toLiveSession(detail({ env: { TOKEN: 'echoed-secret', NAME: '' } }));
		expect(Object.keys(live.envEcho ?? {})).toEqual(['TOKEN']);
		expect(JSON.stringify(live)).not.toContain('echoed-secret');
	});

	it('ignores shapes the SDK does not define (envKeys, a bare workspaceId)', () => {
		const live = toLiveSession(detail({ envKeys: ['OLD'], workspaceId: 'ws_bare' }));
		expect(live.envKeys).toEqual([]);
		expect(live.workspaceId).toBeUndefined();
	});
});
