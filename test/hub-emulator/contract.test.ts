/**
 * The real CoderClient against the local Hub: every session method, responses checked with the
 * SDK schemas and, recorded on the way, with the REST reference's wire schemas (request bodies
 * with its request schemas). The strict Hub (the default) answers as the reference documents; the
 * lenient one gives the other answer to each undocumented question.
 */
import { CoderSessionListItemSchema, CoderSessionSchema } from '@agentuity/core/coder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkAgainstReference, recordExchanges } from '../support/rest-reference.js';
import { client, hubForThisTest, raw } from './support.js';

let recorder: ReturnType<typeof recordExchanges>;
beforeAll(() => {
	recorder = recordExchanges();
});
afterAll(() => recorder.stop());
// The lenient Hub answers as earlier versions did, not as the reference documents.
afterEach(({ task }) => {
	const exchanges = recorder.exchanges.splice(0);
	if (!task.name.startsWith('lenient'))
		expect(checkAgainstReference(exchanges).problems).toEqual([]);
});

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

	it('merges metadata and replaces tags on update; refuses workflowMode and loop', async () => {
		const coder = client(await hubForThisTest());
		const { sessionId } = await coder.createSession({
			task: 't',
			tags: ['a', 'b'],
			metadata: { keep: '1', change: 'old' },
			enabledAgents: ['lead'],
		});
		const updated = await coder.updateSession(sessionId, {
			metadata: { change: 'new', added: 'yes' },
			tags: ['c'],
			enabledAgents: ['scout', 'reviewer'],
			label: 'Renamed',
			visibility: 'collaborate',
			defaultAgent: 'scout',
		});
		expect(updated).toEqual({
			sessionId,
			label: 'Renamed',
			tags: ['c'],
			visibility: 'collaborate',
			defaultAgent: 'scout',
			enabledAgents: ['scout', 'reviewer'],
			skills: [],
			metadata: { keep: '1', change: 'new', added: 'yes' },
		});
		const session = await coder.getSession(sessionId);
		expect(session.metadata).toEqual({ keep: '1', change: 'new', added: 'yes' });
		expect(session).toMatchObject({
			tags: ['c'],
			enabledAgents: ['scout', 'reviewer'],
			workflowMode: 'standard',
			label: 'Renamed',
		});
		// The REST reference's PATCH takes neither: the strict Hub says so instead of dropping them.
		await expect(
			coder.updateSession(sessionId, { workflowMode: 'loop', loop: { goal: 'g' } })
		).rejects.toMatchObject({ status: 400 });
		expect((await coder.getSession(sessionId)).workflowMode).toBe('standard');
	});

	it('lenient: takes workflowMode and loop on update, as earlier versions did', async () => {
		const coder = client(await hubForThisTest({ strict: false }));
		const { sessionId } = await coder.createSession({ task: 't', enabledAgents: ['x'] });
		await coder.updateSession(sessionId, {
			workflowMode: 'loop',
			loop: { goal: 'g' },
			enabledAgents: ['y'],
		});
		const session = await coder.getSession(sessionId);
		expect(session).toMatchObject({ workflowMode: 'loop', enabledAgents: ['y'] });
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
		// An archived session is history: the strict Hub refuses to change it (as it refuses a resume).
		await expect(
			coder.updateSession(archived.sessionId, { metadata: { note: 'late' } })
		).rejects.toMatchObject({ status: 409 });
		expect((await coder.getSession(archived.sessionId)).metadata).toEqual({});
	});

	it('lenient: updates an archived session', async () => {
		const coder = client(await hubForThisTest({ strict: false }));
		const archived = await coder.createSession({ task: 'archived' });
		await coder.archiveSession(archived.sessionId);
		await coder.updateSession(archived.sessionId, { metadata: { note: 'late' } });
		expect((await coder.getSession(archived.sessionId)).metadata).toEqual({ note: 'late' });
	});

	it('without includeArchived hides every history-only session (strict), or archived ones only (lenient)', async () => {
		for (const strict of [true, false]) {
			const hub = await hubForThisTest({ strict });
			const coder = client(hub);
			const live = await coder.createSession({ task: 'live' });
			const failed = await coder.createSession({ task: 'failed' });
			await raw(hub, 'POST', `/_local/sessions/${failed.sessionId}/status`, {
				body: { status: 'failed' },
			});
			const archived = await coder.createSession({ task: 'archived' });
			await coder.archiveSession(archived.sessionId);
			const ids = async (includeArchived: boolean) =>
				(await coder.listSessions({ includeArchived })).sessions.map((s) => s.sessionId);
			expect(await ids(false), `strict: ${strict}`).toEqual(
				strict ? [live.sessionId] : [live.sessionId, failed.sessionId]
			);
			expect(await ids(true)).toEqual([live.sessionId, failed.sessionId, archived.sessionId]);
		}
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

	it('goes creating, provisioning, active; paused once idle; a resume wakes it', async () => {
		let now = new Date('2026-01-01T00:00:00.000Z');
		const later = (ms: number) => (now = new Date(now.getTime() + ms));
		const hub = await hubForThisTest({
			activateAfterMs: 4000,
			idleTimeoutMs: 60_000,
			now: () => now,
		});
		const coder = client(hub);
		const { sessionId, status } = await coder.createSession({ task: 't' });
		expect(status).toBe('creating');
		const state = async () => {
			const { status: s, bucket, liveExpected, wakeAvailable } = await coder.getSession(sessionId);
			return { status: s, bucket, liveExpected, wakeAvailable };
		};
		expect(await state()).toEqual({
			status: 'creating',
			bucket: 'provisioning',
			liveExpected: true,
			wakeAvailable: false,
		});
		expect((await coder.listConnectableSessions()).sessions).toEqual([]);
		later(2000);
		expect(await state()).toMatchObject({ status: 'provisioning', bucket: 'provisioning' });
		later(2000);
		expect(await state()).toMatchObject({ status: 'active', bucket: 'running' });
		// A PATCH is no activity: the session still goes idle a minute after it came up.
		await coder.updateSession(sessionId, { label: 'Touched' });
		later(59_999);
		expect((await state()).status).toBe('active');
		later(1);
		expect(await state()).toEqual({
			status: 'paused',
			bucket: 'paused',
			liveExpected: false,
			wakeAvailable: true,
		});
		expect((await coder.listConnectableSessions()).sessions.map((s) => s.sessionId)).toEqual([
			sessionId,
		]);
		expect(await coder.resumeSession(sessionId)).toMatchObject({
			status: 'resuming',
			resumed: true,
		});
		expect((await state()).status).toBe('active');
		later(60_000);
		expect((await state()).status).toBe('paused');
	});

	it("honours a session's own timeout.idle over the Hub's", async () => {
		let now = new Date('2026-01-01T00:00:00.000Z');
		const coder = client(await hubForThisTest({ idleTimeoutMs: 3_600_000, now: () => now }));
		const own = await coder.createSession({ task: 'own', timeout: { idle: '30m' } });
		const hubs = await coder.createSession({ task: 'hub', timeout: { idle: 'soon' } });
		now = new Date(now.getTime() + 30 * 60_000);
		expect((await coder.getSession(own.sessionId)).status).toBe('paused');
		expect((await coder.getSession(hubs.sessionId)).status).toBe('active');
	});

	it('moves lastActivityAt on activity, not on a PATCH (strict); on both (lenient)', async () => {
		for (const strict of [true, false]) {
			let now = new Date('2026-01-01T00:00:00.000Z');
			const hub = await hubForThisTest({ strict, now: () => now });
			const coder = client(hub);
			const { sessionId } = await coder.createSession({ task: 't' });
			now = new Date('2026-01-01T01:00:00.000Z');
			await coder.updateSession(sessionId, {});
			const afterPatch = (await coder.listSessions()).sessions[0]!.lastActivityAt;
			expect(afterPatch).toBe(strict ? '2026-01-01T00:00:00.000Z' : '2026-01-01T01:00:00.000Z');
			await raw(hub, 'POST', `/_local/sessions/${sessionId}/activity`, {
				body: { events: [{ event: 'task_start', occurredAt: '2026-01-01T02:00:00.000Z' }] },
			});
			expect((await coder.getSession(sessionId)).lastActivityAt).toBe('2026-01-01T02:00:00.000Z');
		}
	});

	it('refuses unknown workspace, skill, bucket and agent ids, and expands saved skills into skills', async () => {
		const hub = await hubForThisTest({
			fixtures: {
				org: 'org_a',
				skills: [
					{ id: 'sk_review', repo: 'agentuity/skills', skillId: 'review', name: 'Review' },
					{ id: 'sk_write', repo: 'agentuity/skills', skillId: 'write', name: 'Write' },
				],
				buckets: [{ id: 'bk_writers', name: 'Writers', savedSkillIds: ['sk_write'] }],
				workspaces: [{ id: 'ws_docs', name: 'Docs', repos: [{ fullName: 'agentuity/docs' }] }],
				agents: [{ slug: 'editor', displayName: 'Editor', instructions: 'Edit' }],
			},
		});
		const coder = client(hub);
		await expect(
			coder.createSession({
				task: 't',
				workspaceId: 'ws_nope',
				savedSkillIds: ['sk_nope'],
				skillBucketIds: ['bk_nope'],
				enabledAgents: ['lead', 'ghost'],
			})
		).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining(
				'workspaceId: no workspace ws_nope; savedSkillIds: no saved skill sk_nope; skillBucketIds: no skill bucket bk_nope; enabledAgents: no built-in agent'
			),
		});
		expect((await coder.listSessions({ includeArchived: true })).sessions).toEqual([]);

		const { sessionId } = await coder.createSession({
			task: 't',
			workspaceId: 'ws_docs',
			skills: [{ skillId: 'lint', repo: 'agentuity/skills' }],
			savedSkillIds: ['sk_review'],
			skillBucketIds: ['bk_writers'],
			agent: 'editor',
			enabledAgents: ['lead', 'editor'],
		});
		const session = await coder.getSession(sessionId);
		expect(session.skills.map((skill) => skill.skillId)).toEqual(['lint', 'review', 'write']);
		expect(session.workspace).toEqual({ id: 'ws_docs', name: 'Docs', scope: 'user' });
		await expect(coder.updateSession(sessionId, { defaultAgent: 'ghost' })).rejects.toMatchObject({
			status: 400,
		});
		// A PATCH of skills replaces those asked for; the saved skills' stay.
		await coder.updateSession(sessionId, { skills: [] });
		expect((await coder.getSession(sessionId)).skills.map((skill) => skill.skillId)).toEqual([
			'review',
			'write',
		]);

		// The lenient Hub takes any id and leaves skills as asked.
		const lenient = client(await hubForThisTest({ strict: false }));
		const loose = await lenient.createSession({
			task: 't',
			workspaceId: 'ws_nope',
			savedSkillIds: ['sk_nope'],
			enabledAgents: ['ghost'],
		});
		expect((await lenient.getSession(loose.sessionId)).skills).toEqual([]);
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
		expect(await coder.getReplay(sessionId)).toMatchObject({
			sessionId,
			entriesSource: 'none',
			entries: [],
		});
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
		// No GitHub connection: 409, as the seed page documents; the lenient Hub says connected: false.
		await expect(client(await hubForThisTest()).listGitHubAccounts()).rejects.toMatchObject({
			status: 409,
		});
		const none = await client(await hubForThisTest({ strict: false })).listGitHubAccounts();
		expect(none).toMatchObject({ connected: false, accounts: [] });
	});
});
