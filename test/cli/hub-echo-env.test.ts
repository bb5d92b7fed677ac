/**
 * `hub serve --echo-env`: the session detail echoes each env value, as a real Hub may; without
 * the flag it names the variables with empty values. Neither writes a value to the state file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoderClient } from '@agentuity/core/coder';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { tempDirForTest } from '../support/local-hub.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

const VALUE = 'echo-flag-value-51d2';
const running: HubProcess[] = [];

afterEach(async () => {
	await Promise.all(running.splice(0).map((hub) => hub.stop()));
});

async function envEchoed(flags: readonly string[]): Promise<{ env: unknown; state: string }> {
	const dir = await tempDirForTest(onTestFinished, 'hub-echo-env-');
	const stateFile = join(dir, 'state.json');
	const hub = await startHubProcess(['--port', '0', '--state', stateFile, ...flags]);
	running.push(hub);
	const client = new CoderClient({ url: hub.url, apiKey: 'test' });
	const { sessionId } = await client.createSession({ task: 'Echo', env: { API_TOKEN: VALUE } });
	const detail = await client.getSession(sessionId);
	await hub.stop();
	running.splice(0);
	return { env: detail.env, state: await readFile(stateFile, 'utf8') };
}

describe('hub serve --echo-env', { timeout: 120_000 }, () => {
	it('echoes env values in the session detail, and never writes them to the state file', async () => {
		const echoed = await envEchoed(['--echo-env']);
		expect(echoed.env).toEqual({ API_TOKEN: VALUE });
		expect(echoed.state).toContain('API_TOKEN');
		expect(echoed.state).not.toContain(VALUE);

		const named = await envEchoed([]);
		expect(named.env).toEqual({ API_TOKEN: '' });
		expect(named.state).not.toContain(VALUE);
	});
});
