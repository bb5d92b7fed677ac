/**
 * What coder-sessions itself sends to a Hub and reads back, checked with the Hub's REST reference:
 * every request of plan, apply (creates, updates, adopts, forgets, replaces, archives), status
 * and drift is recorded in-process and its body parsed with the reference's request schema (only
 * documented keys), every 2xx answer with the reference's response schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgainstReference, recordExchanges } from '../support/rest-reference.js';
import {
	GITHUB_REPOS,
	LIBRARY_FIXTURES,
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	seedUnmarked,
	useTempDir,
	writeSpec,
} from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const inProcess = process.env.TEST_CLI_BINARY !== '1';

describe.skipIf(!inProcess)('requests coder-sessions sends, against the REST reference', () => {
	const dir = useTempDir('documented-');
	let recorder: ReturnType<typeof recordExchanges>;
	beforeAll(() => {
		recorder = recordExchanges();
	});
	afterAll(() => recorder.stop());

	it('plan, apply, status and drift send and read only what the reference documents', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, {
			simulateActivity: true,
			githubRepos: GITHUB_REPOS,
			fixtures: LIBRARY_FIXTURES,
		});
		const env = { DOCS_API_TOKEN: 'demo-token' };
		const run = (args: string[]) => cli(hub, args, { cwd: dir.path, env });
		const first = await writeSpec(dir.path, 'v1.yaml', {
			stack: 'documented',
			defaults: { visibility: 'org', tags: ['docs'], agent: 'lead', runtime: 'bun:1' },
			sessions: {
				full: {
					task: 'Everything the spec can say.',
					label: 'Full',
					repo: 'agentuity/sdk#main',
					enabledAgents: ['lead', 'scout'],
					defaultAgent: 'scout',
					skills: [{ skillId: 'lint', repo: 'agentuity/skills' }],
					savedSkillIds: ['sk_1'],
					skillBucketIds: ['bk_1'],
					workspaceId: 'ws_docs',
					metadata: { ticket: 'DOCS-1' },
					env: { DOCS_API_TOKEN: '${DOCS_API_TOKEN}' },
					resources: { memory: '1Gi' },
					timeout: { idle: '30m' },
				},
				looping: { task: 'Loop.', loop: { goal: 'Done', maxIterations: 3 } },
				loose: { task: 'To forget.' },
				gone: { task: 'To archive.' },
			},
		});
		await applySpec(hub, first, { cwd: dir.path, env });
		const adopted = await seedUnmarked(hub, 'Hand made.');
		const second = await writeSpec(dir.path, 'v2.yaml', {
			stack: 'documented',
			defaults: { visibility: 'org', tags: ['docs'], agent: 'lead', runtime: 'bun:1' },
			sessions: {
				full: {
					task: 'Everything the spec can say.',
					label: 'Full, renamed',
					visibility: 'collaborate',
					tags: ['more'],
					repo: 'agentuity/sdk#main',
					enabledAgents: ['lead'],
					defaultAgent: 'lead',
					agent: 'scout',
					skills: [],
					savedSkillIds: ['sk_1'],
					skillBucketIds: ['bk_1'],
					workspaceId: 'ws_docs',
					metadata: { ticket: 'DOCS-2' },
					env: { DOCS_API_TOKEN: '${DOCS_API_TOKEN}' },
					resources: { memory: '1Gi' },
					timeout: { idle: '30m' },
					protect: true,
				},
				looping: { task: 'Loop.', loop: { goal: 'Done better', maxIterations: 3 } },
				loose: { task: 'To forget.', state: 'unmanaged' },
				hand: { task: 'Hand made.', adopt: adopted, tags: ['docs'] },
			},
		});
		const applied = await run(['apply', '--auto-approve', '-f', second]);
		expectExit(applied, 0);
		expect(applied.stdout).toMatch(/applied +update full/);
		expect(applied.stdout).toMatch(/applied +replace looping/);
		expect(applied.stdout).toMatch(/applied +forget loose/);
		expect(applied.stdout).toMatch(/applied +adopt hand/);
		expect(applied.stdout).toMatch(/applied +archive gone/);
		expectExit(await run(['plan', '-f', second, '--detailed-exitcode']), 0);
		expectExit(await run(['status', '-f', second]), 0);
		expectExit(await run(['drift', '-f', second]), 0);
		expect(Object.keys(await liveIdsByKey(hub, 'documented')).sort()).toEqual([
			'full',
			'gone',
			'hand',
			'looping',
		]);

		const report = checkAgainstReference(recorder.exchanges.splice(0));
		expect(report.problems).toEqual([]);
		for (const id of [
			'create-session',
			'update-session',
			'list-sessions',
			'get-session',
			'archive-session',
			'get-loop-state',
			'get-session-replay',
			'list-session-participants',
			'list-session-event-history',
		]) {
			expect(report.covered, id).toContain(id);
		}
	});
});
