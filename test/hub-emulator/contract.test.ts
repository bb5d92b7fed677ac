/** The real CoderClient against the local Hub: every session method, responses checked with the SDK schemas. */
import { CoderSessionListItemSchema, CoderSessionSchema } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { client, hubForThisTest } from './support.js';

const fullCreate = {
	task: 'Inspect this repo and explain the current architecture.',
	label: 'Architecture review',
	tags: ['managed', 'architecture'],
	metadata: { 'coder-sessions/stack': 'docs-team', ticket: 'DOCS-123' },
	env: { API_TOKEN: 'secret-value', OTHER: 'x' },
	repo: { owner: 'agentuity', name: 'sdk', branch: 'main', fullName: 'agentuity/sdk' },
	workflowMode: 'loop' as const,
	loop: { goal: 'ship it', maxIterations: 3, autoContinue: true },
	visibility: 'organization' as const,
	enabledAgents: ['scout'],
	defaultAgent: 'scout',
};

describe('local Hub with the real CoderClient', () => {
	it('creates a session and echoes what was created on detail', async () => {
		const hub = await hubForThisTest();
		const coder = client(hub);
		const created = await coder.createSession(fullCreate);
		expect(created).toMatchObject({
			status: 'creating',
			sandboxId: null,
			mode: 'sandbox',
			visibility: 'organization',
		});
		expect(created.sessionId).toMatch(/^codesess_[0-9a-f]{12}$/);

		const session = await coder.getSession(created.sessionId);
		expect(CoderSessionSchema.safeParse(session).success).toBe(true);
		expect(session).toMatchObject({
			sessionId: created.sessionId,
			task: fullCreate.task,
			label: 'Architecture review',
			tags: ['managed', 'architecture'],
			metadata: fullCreate.metadata,
			repo: fullCreate.repo,
			workflowMode: 'loop',
			visibility: 'organization',
			enabledAgents: ['scout'],
			defaultAgent: 'scout',
			env: { API_TOKEN: '', OTHER: '' },
			status: 'active',
			bucket: 'running',
		});
		// Env values are never echoed (nor stored): the variables are named, with empty values.
		expect(JSON.stringify(session)).not.toContain('secret-value');
	});

	it('applies defaults and derives the label from the task', async () => {
		const coder = client(await hubForThisTest());
		const { sessionId } = await coder.createSession({ task: '  Fix the flaky test  ' });
		const session = await coder.getSession(sessionId);
		expect(session).toMatchObject({
			label: 'Fix the flaky test',
			visibility: 'private',
			workflowMode: 'standard',
			tags: [],
			enabledAgents: [],
			skills: [],
			metadata: {},
		});
		const long = await coder.createSession({ task: 'x'.repeat(500) });
		expect((await coder.getSession(long.sessionId)).label).toHaveLength(200);
	});

	it('pages the list with limit/offset, counting total before paging', async () => {
		const coder = client(await hubForThisTest());
		const ids: string[] = [];
		for (let index = 0; index < 7; index++)
			ids.push((await coder.createSession({ task: `task ${index}` })).sessionId);

		const all = await coder.listSessions();
		expect(all.total).toBe(7);
		expect(all.sessions.map((session) => session.sessionId)).toEqual(ids);
		for (const item of all.sessions)
			expect(CoderSessionListItemSchema.safeParse(item).success).toBe(true);

		const page = await coder.listSessions({ limit: 3, offset: 3 });
		expect(page.total).toBe(7);
		expect(page.sessions.map((session) => session.sessionId)).toEqual(ids.slice(3, 6));
		const last = await coder.listSessions({ limit: 3, offset: 6 });
		expect(last.sessions.map((session) => session.sessionId)).toEqual(ids.slice(6));
		expect((await coder.listSessions({ limit: 3, offset: 30 })).sessions).toEqual([]);
	});

	it('searches label, task and metadata values case-insensitively', async () => {
		const coder = client(await hubForThisTest());
		const a = await coder.createSession({ task: 'Refactor the PARSER', label: 'one' });
		const b = await coder.createSession({ task: 'other', label: 'Parser notes' });
		const c = await coder.createSession({ task: 'other', metadata: { component: 'the-parser' } });
		await coder.createSession({ task: 'unrelated', metadata: { parser: 'key only' } });
		const found = await coder.listSessions({ search: 'parser' });
		expect(found.sessions.map((session) => session.sessionId).sort()).toEqual(
			[a.sessionId, b.sessionId, c.sessionId].sort()
		);
		expect(found.total).toBe(3);
	});

	it('merges metadata and replaces tags on update', async () => {
		const coder = client(await hubForThisTest());
		const { sessionId } = await coder.createSession({
			task: 't',
			tags: ['a', 'b'],
			metadata: { keep: '1', change: 'old' },
			enabledAgents: ['x'],
		});
		const updated = await coder.updateSession(sessionId, {
			metadata: { change: 'new', added: 'yes' },
			tags: ['c'],
			enabledAgents: ['y', 'z'],
			label: 'Renamed',
			visibility: 'collaborate',
			workflowMode: 'loop',
			loop: { goal: 'g' },
			defaultAgent: 'y',
		});
		expect(updated).toMatchObject({
			sessionId,
			label: 'Renamed',
			tags: ['c'],
			visibility: 'collaborate',
			defaultAgent: 'y',
		});
		const session = await coder.getSession(sessionId);
		expect(session.metadata).toEqual({ keep: '1', change: 'new', added: 'yes' });
		expect(session).toMatchObject({
			tags: ['c'],
			enabledAgents: ['y', 'z'],
			workflowMode: 'loop',
			label: 'Renamed',
		});
		expect(session).not.toHaveProperty('loop');
		expect((await coder.getLoopState(sessionId)).loop).toMatchObject({ goal: 'g' });
	});

	it('hides archived sessions unless includeArchived is set', async () => {
		const coder = client(await hubForThisTest());
		const kept = await coder.createSession({ task: 'kept' });
		const archived = await coder.createSession({ task: 'archived' });
		expect(await coder.archiveSession(archived.sessionId)).toEqual({
			sessionId: archived.sessionId,
			status: 'archived',
		});
		// Archiving twice is fine.
		expect(await coder.archiveSession(archived.sessionId)).toMatchObject({ status: 'archived' });

		const visible = await coder.listSessions();
		expect(visible.sessions.map((session) => session.sessionId)).toEqual([kept.sessionId]);
		expect(visible.total).toBe(1);
		const everything = await coder.listSessions({ includeArchived: true });
		expect(everything.total).toBe(2);
		const item = everything.sessions.find((session) => session.sessionId === archived.sessionId);
		expect(item).toMatchObject({
			status: 'archived',
			bucket: 'history',
			historyOnly: true,
			runtimeAvailable: false,
			controlAvailable: false,
			wakeAvailable: false,
			liveExpected: false,
		});
		expect(
			(await coder.listConnectableSessions()).sessions.map((session) => session.sessionId)
		).toEqual([kept.sessionId]);
		// An archived session can still be updated (documented choice).
		await coder.updateSession(archived.sessionId, { metadata: { note: 'late' } });
		expect((await coder.getSession(archived.sessionId)).metadata).toEqual({ note: 'late' });
	});

	it('deletes a session, after which it is a 404 everywhere', async () => {
		const coder = client(await hubForThisTest());
		const { sessionId } = await coder.createSession({ task: 'temporary' });
		await coder.deleteSession(sessionId);
		await expect(coder.getSession(sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(coder.updateSession(sessionId, { label: 'x' })).rejects.toMatchObject({
			status: 404,
		});
		await expect(coder.deleteSession(sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(coder.archiveSession(sessionId)).rejects.toMatchObject({ status: 404 });
		expect((await coder.listSessions({ includeArchived: true })).total).toBe(0);
	});

	it('resumes a live session and prepares it for remote attach', async () => {
		const coder = client(await hubForThisTest());
		const { sessionId } = await coder.createSession({ task: 't' });
		expect(await coder.resumeSession(sessionId)).toMatchObject({ sessionId, resumed: true });
		const prepared = await coder.prepareSessionForRemoteAttach(sessionId);
		expect(prepared.runtimeAvailable).toBe(true);
	});

	it('reads as creating until activateAfterMs has passed', async () => {
		let now = new Date('2026-01-01T00:00:00.000Z');
		const coder = client(await hubForThisTest({ activateAfterMs: 5000, now: () => now }));
		const { sessionId } = await coder.createSession({ task: 't' });
		expect(await coder.getSession(sessionId)).toMatchObject({
			status: 'creating',
			bucket: 'provisioning',
			liveExpected: true,
		});
		expect((await coder.listConnectableSessions()).sessions).toEqual([]);
		now = new Date(now.getTime() + 5000);
		expect(await coder.getSession(sessionId)).toMatchObject({
			status: 'active',
			bucket: 'running',
		});
	});

	it('serves the session data stubs and GitHub fixture in the SDK shapes', async () => {
		const hub = await hubForThisTest({
			githubRepos: [{ account: 'agentuity', repos: ['sdk', { name: 'docs', private: true }] }],
		});
		const coder = client(hub);
		const { sessionId } = await coder.createSession({
			task: 't',
			workflowMode: 'loop',
			loop: { goal: 'g' },
		});
		expect(await coder.listParticipants(sessionId)).toEqual({ sessionId, participants: [] });
		expect(await coder.listEventHistory(sessionId, { limit: 10 })).toMatchObject({
			sessionId,
			events: [],
			limit: 10,
		});
		expect(await coder.getReplay(sessionId)).toMatchObject({ sessionId });
		expect(await coder.getLoopState(sessionId)).toMatchObject({
			workflowMode: 'loop',
			loop: { goal: 'g', iteration: 0 },
		});

		const accounts = await coder.listGitHubAccounts();
		expect(accounts.connected).toBe(true);
		expect(accounts.accounts.map((account) => account.accountName)).toEqual(['agentuity']);
		const repos = await coder.listGitHubRepos(accounts.accounts[0]!.accountId);
		expect(repos.repositories.map((repo) => [repo.fullName, repo.private])).toEqual([
			['agentuity/sdk', false],
			['agentuity/docs', true],
		]);
		const none = await client(await hubForThisTest()).listGitHubAccounts();
		expect(none).toMatchObject({ connected: false, accounts: [] });
	});
});
