/**
 * Fixed plans rendered into examples/plan-comment-*.md, so a reviewer sees what a pull-request
 * comment looks like for a small plan and for one too large to show every action's details.
 */
import { NO_LOCAL_GITHUB_FIXTURE } from '../../src/operations/connect.js';
import type { PlanView } from '../../src/render/view.js';
import type { Action } from '../../src/plan/types.js';
import { hubCalls, liveRef, noop, planOf, viewOf } from './plan-builders.js';
import { desired } from './session-builders.js';

const RUN_URL = 'https://github.com/acme/agents/actions/runs/123456789';

const NIGHTLY_TASK = [
	'Review the open pull requests labelled docs.',
	'Check links and code samples.',
	'Comment with what to fix.',
].join('\n');

function smallView(): PlanView {
	const actions: Action[] = [
		{
			kind: 'create',
			key: 'release-notes',
			reason: 'not on the Hub yet',
			desired: desired('release-notes', {
				label: 'Release notes',
				task: 'Draft the release notes for the next version from merged pull requests.\n',
				tags: ['docs'],
				repo: { owner: 'acme', name: 'agents', branch: 'main' },
				env: { GH_TOKEN: '${GH_TOKEN}' },
			}),
		},
		{
			kind: 'update',
			stamp: '{}',
			key: 'docs-review',
			reason: 'differs from the spec',
			live: liveRef({ id: 'ses_01HZX4', label: 'Docs review' }),
			desired: desired('docs-review', { task: `${NIGHTLY_TASK}\nBe brief.\n` }),
			changes: [
				{ field: 'task', before: `${NIGHTLY_TASK}\n`, after: `${NIGHTLY_TASK}\nBe brief.\n` },
				{ field: 'tags', before: ['docs'], after: ['docs', 'nightly'] },
			],
		},
		{
			kind: 'archive',
			key: 'old-spike',
			reason: 'removed from the spec; prune: archive',
			live: liveRef({ id: 'ses_01HZX9', label: 'Old spike' }),
		},
		noop('triage'),
		noop('web-e2e'),
	];
	const plan = planOf(actions, { stack: 'acme-agents' });
	return viewOf(plan, {
		files: ['sessions.yaml'],
		hubCalls: hubCalls({ list: 1, get: 4 }),
		notes: [
			'note: env values not compared, as CODER_SESSIONS_ENV_KEY is not set (set it to the secret the sessions were applied with to compare values); env keys and templates still are',
		],
		runUrl: RUN_URL,
	});
}

function largeView(): PlanView {
	const actions: Action[] = Array.from({ length: 300 }, (_, i) => {
		const key = `worker-${String(i + 1).padStart(3, '0')}`;
		return {
			kind: 'create',
			key,
			reason: 'not on the Hub yet',
			desired: desired(key, {
				label: `Worker ${i + 1}`,
				task: `Work through shard ${i + 1} of the migration backlog.\n`,
				tags: ['migration'],
				repo: { owner: 'acme', name: 'agents', branch: 'main' },
			}),
		};
	});
	const plan = planOf(actions, { stack: 'acme-migration' });
	return viewOf(plan, {
		files: ['sessions.yaml'],
		hubCalls: hubCalls({ list: 1 }),
		notes: [NO_LOCAL_GITHUB_FIXTURE],
		runUrl: RUN_URL,
	});
}

export const PLAN_EXAMPLES: readonly { readonly file: string; readonly view: () => PlanView }[] = [
	{ file: 'examples/plan-comment-small.md', view: smallView },
	{ file: 'examples/plan-comment-300.md', view: largeView },
];
