import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec, type Spec } from '../../src/spec/index.js';

const validDir = fileURLToPath(new URL('../fixtures/valid/', import.meta.url));
const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

async function specOf(files: string[], cwd = validDir): Promise<Spec> {
	const result = await loadSpec(files, { cwd });
	if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
	return result.spec;
}

const plain = { metadata: {}, env: {}, state: 'active', protect: false, ignoreChanges: [] };

describe('valid spec files', () => {
	it('fills in the defaults of a minimal file', async () => {
		expect(await specOf(['minimal.yaml'])).toEqual({
			version: 1,
			stack: 'docs-team',
			prune: 'archive',
			resources: [],
			files: ['minimal.yaml'],
			sessions: [
				{
					key: 'api-review',
					task: 'Review the API',
					tags: [],
					...plain,
					source: { file: 'minimal.yaml', line: 4, column: 3 },
				},
			],
		});
	});

	it('accepts an empty sessions mapping', async () => {
		const spec = await specOf(['no-sessions.yaml']);
		expect(spec.sessions).toEqual([]);
		expect(spec.prune).toBe('keep');
	});

	it('merges several files: per-file defaults, one prune, sessions sorted by key', async () => {
		const spec = await specOf(['split/base.yaml', 'split/team.yaml']);
		expect(spec.prune).toBe('keep');
		expect(spec.files).toEqual(['split/base.yaml', 'split/team.yaml']);
		expect(spec.sessions.map((s) => [s.key, s.tags, s.visibility, s.source.file])).toEqual([
			['alpha', ['base'], undefined, 'split/base.yaml'],
			['middle', ['team'], 'organization', 'split/team.yaml'],
			['zeta', ['base'], undefined, 'split/base.yaml'],
		]);
	});

	it('resolves anchors and aliases', async () => {
		const [first, second] = (await specOf(['anchors.yaml'])).sessions;
		expect(second).toMatchObject({
			key: 'second',
			task: first?.task,
			tags: ['a', 'b'],
			metadata: { owner: 'docs' },
		});
	});

	it('normalises every field of the full example', async () => {
		const [everything, standard] = (await specOf(['full.yaml'])).sessions;
		expect(everything).toEqual({
			key: 'everything',
			task: 'Do everything.\n',
			label: 'Everything',
			tags: ['managed', 'platform', 'full'],
			visibility: 'private',
			workflowMode: 'loop',
			loop: { maxIterations: 10, autoContinue: true, goal: 'Everything done', allowDetached: true },
			agent: 'builder',
			defaultAgent: 'builder',
			enabledAgents: ['builder'],
			savedSkillIds: ['skill_1'],
			skillBucketIds: ['bucket_1'],
			repo: {
				owner: 'agentuity',
				name: 'sdk',
				branch: 'main',
				ref: 'refs/heads/main',
				commit: '0123abc',
				path: 'packages/core',
				provider: 'github',
				url: 'https://github.com/agentuity/sdk',
			},
			repos: [
				{ owner: 'agentuity', name: 'docs', branch: 'next' },
				{ owner: 'agentuity', name: 'cli' },
			],
			workspaceId: 'ws_1',
			metadata: { team: 'platform', tier: '2', ticket: 'PLAT-1' },
			env: { GITHUB_TOKEN: 'token ${GH_TOKEN}', REGION: 'us-east', PRICE: '$${PRICE} costs $5' },
			sandbox: {
				projectId: 'proj_2',
				runtime: 'python:3.14',
				runtimeId: 'srt_1',
				name: 'everything-box',
				description: 'A sandbox for everything',
				snapshot: 'snap_1',
				resources: { memory: '1Gi', cpu: '1000m', disk: '5Gi' },
				network: { enabled: true, port: 3000 },
				timeout: { idle: '10m', execution: '5m', paused: '24h' },
				dependencies: ['curl'],
				packages: ['vitest'],
				scopes: ['services:write'],
			},
			state: 'archived',
			protect: true,
			ignoreChanges: ['label', 'tags'],
			source: { file: 'full.yaml', line: 30, column: 3 },
		});
		// An explicit standard mode drops the loop the defaults would bring.
		expect(standard).toMatchObject({ workflowMode: 'standard', visibility: 'collaborate' });
		expect(standard).not.toHaveProperty('loop');
	});

	// The example is people's to edit: only what any edit must keep is checked here.
	it('accepts the shipped example, whose env values are references only', async () => {
		const spec = await specOf(['sessions.yaml'], examplesDir);
		const env = spec.sessions.flatMap((session) => Object.values(session.env));
		for (const value of env) expect(value).toMatch(/^\$\{[A-Z_]+\}$/); // never a secret
	});
});
