/** The local Hub's search: full by default, weakened on request (no metadata, late indexing). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { hubForTest, type TestHub } from '../support/local-hub.js';

async function seed(hub: TestHub): Promise<void> {
	await hub.client.createSession({ task: 'Plain task', metadata: { team: 'comet' } });
	await hub.client.createSession({ task: 'A comet in the task' });
}

const found = async (hub: TestHub) =>
	(await hub.client.listSessions({ search: 'COMET', includeArchived: true })).sessions.length;

describe('local Hub search rules', () => {
	it('matches label, task and metadata values by default', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		await seed(hub);
		expect(await found(hub)).toBe(2);
	});

	it('--search-ignores-metadata matches label and task only', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { searchIgnoresMetadata: true });
		await seed(hub);
		expect(await found(hub)).toBe(1);
		// Listing without search is untouched.
		expect((await hub.client.listSessions({ includeArchived: true })).sessions).toHaveLength(2);
	});

	it('--search-delay-ms shows a new session to search only once it is that old', async ({
		onTestFinished,
	}) => {
		let offsetMs = 0;
		const hub = await hubForTest(onTestFinished, {
			searchDelayMs: 60_000,
			now: () => new Date(Date.now() + offsetMs),
		});
		await seed(hub);
		expect(await found(hub)).toBe(0);
		expect((await hub.client.listSessions({ includeArchived: true })).sessions).toHaveLength(2);
		offsetMs = 61_000;
		expect(await found(hub)).toBe(2);
	});

	it('documents both flags in hub serve --help and rejects a bad delay', async () => {
		const help = await runCli(['hub', 'serve', '--help']);
		expect(help.stdout).toContain('--search-ignores-metadata');
		expect(help.stdout).toContain('--search-delay-ms <ms>');
		const bad = await runCli(['hub', 'serve', '--no-state', '--search-delay-ms', 'soon']);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('--search-delay-ms: expected a number');
	});
});
