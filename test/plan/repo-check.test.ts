import { describe, expect, it } from 'vitest';
import type { GitHubAccount, GitHubRepo } from '../../src/hub/types.js';
import {
	accountsToList,
	findRepoProblems,
	pinnedReposOf,
	repoProblemsAsSpecErrors,
	type PinnedRepo,
} from '../../src/plan/repo-check.js';
import type { Action } from '../../src/plan/types.js';
import { renderSpecErrors } from '../../src/spec/errors.js';
import type { DesiredSession } from '../../src/kinds/session/desired.js';
import { liveRef, planOf } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

const source = { file: 'sessions.yaml', line: 12, column: 3 };
const create = (entry: DesiredSession): Action => ({
	kind: 'create',
	key: entry.key,
	reason: 'new',
	desired: entry,
});

const ACCOUNTS: GitHubAccount[] = [
	{ id: '1', login: 'agentuity' },
	{ id: '2', login: 'Acme' },
];
const REPOS = new Map<string, GitHubRepo[]>([
	[
		'1',
		[
			{ owner: 'agentuity', name: 'sdk' },
			{ owner: 'agentuity', name: 'Docs' },
		],
	],
	['2', [{ owner: 'Acme', name: 'web' }]],
]);

const pinned = (owner: string, name: string, key = 'api-docs'): PinnedRepo => ({
	key,
	path: ['sessions', key, 'repo'],
	owner,
	name,
	source,
});

describe('pinnedReposOf', () => {
	it('takes repo and repos of creates and replaces, with their spec paths', () => {
		const fresh = desired('fresh', {
			source,
			repo: { owner: 'agentuity', name: 'sdk', branch: 'main' },
			repos: [
				{ owner: 'agentuity', name: 'docs' },
				{ owner: 'gitlab-org', name: 'x', provider: 'gitlab' },
				{ owner: 'acme', name: 'web', provider: 'GitHub' },
			],
		});
		const replaced = desired('moved', { repo: { owner: 'acme', name: 'api' } });
		const plan = planOf([
			create(fresh),
			{
				kind: 'replace',
				key: 'moved',
				reason: 'repo',
				live: liveRef(),
				desired: replaced,
				changes: [],
				forcedBy: ['repo'],
			},
			{
				kind: 'update',
				stamp: '{}',
				key: 'kept',
				reason: 'label',
				live: liveRef(),
				changes: [],
				desired: desired('kept', { repo: { owner: 'x', name: 'y' } }),
			},
			{ kind: 'noop', key: 'same', reason: 'matches', live: liveRef() },
		]);
		expect(
			pinnedReposOf(plan).map((repo) => [repo.path.join('.'), `${repo.owner}/${repo.name}`])
		).toEqual([
			['sessions.fresh.repo', 'agentuity/sdk'],
			['sessions.fresh.repos.0', 'agentuity/docs'],
			['sessions.fresh.repos.2', 'acme/web'],
			['sessions.moved.repo', 'acme/api'],
		]);
		expect(pinnedReposOf(plan)[0]!.source).toEqual(source);
	});

	it('is empty when nothing is created or replaced', () => {
		expect(pinnedReposOf(planOf([]))).toEqual([]);
	});
});

describe('accountsToList', () => {
	it('names each installed account once, only when an owner pinned matches it (any case)', () => {
		const repos = [pinned('AGENTUITY', 'sdk'), pinned('agentuity', 'docs'), pinned('nobody', 'x')];
		expect(accountsToList(repos, ACCOUNTS)).toEqual([{ id: '1', login: 'agentuity' }]);
		expect(accountsToList([pinned('acme', 'web')], ACCOUNTS)).toEqual([{ id: '2', login: 'Acme' }]);
	});
});

describe('findRepoProblems', () => {
	it('passes reachable repos, comparing owner and name case-insensitively', () => {
		const repos = [pinned('agentuity', 'sdk'), pinned('Agentuity', 'docs'), pinned('acme', 'WEB')];
		expect(findRepoProblems(repos, ACCOUNTS, REPOS)).toEqual([]);
	});

	it('names the missing repo and the installed accounts', () => {
		const [problem] = findRepoProblems([pinned('agentuity', 'nope')], ACCOUNTS, REPOS);
		expect(problem?.message).toBe(
			'agentuity/nope is not reachable: no repo "nope" under account agentuity (installed accounts: agentuity, Acme)'
		);
	});

	it('names an owner with no installed account', () => {
		const [problem] = findRepoProblems([pinned('octo', 'cat')], ACCOUNTS, REPOS);
		expect(problem?.message).toBe(
			'octo/cat is not reachable: no GitHub account octo is installed (installed accounts: agentuity, Acme)'
		);
	});

	it('suggests a close repo or account name', () => {
		const problems = findRepoProblems(
			[pinned('agentuity', 'dcos'), pinned('agentuty', 'sdk')],
			ACCOUNTS,
			REPOS
		);
		expect(problems.map((problem) => problem.message)).toEqual([
			'agentuity/dcos is not reachable: no repo "dcos" under account agentuity; did you mean agentuity/Docs? (installed accounts: agentuity, Acme)',
			'agentuty/sdk is not reachable: no GitHub account agentuty is installed; did you mean agentuity? (installed accounts: agentuity, Acme)',
		]);
	});

	it('says none when no account is installed', () => {
		const [problem] = findRepoProblems([pinned('agentuity', 'sdk')], [], new Map());
		expect(problem?.message).toContain('(installed accounts: none)');
	});

	it('reports every bad repo, in order, and prints compiler-style at the entry', () => {
		const repos = [
			pinned('agentuity', 'sdk', 'a'),
			pinned('agentuity', 'nope', 'b'),
			{ ...pinned('octo', 'cat', 'c'), path: ['sessions', 'c', 'repos', 1] },
		];
		const problems = findRepoProblems(repos, ACCOUNTS, REPOS);
		expect(problems.map((problem) => problem.key)).toEqual(['b', 'c']);
		expect(renderSpecErrors(repoProblemsAsSpecErrors(problems))).toBe(
			[
				'sessions.yaml:12:3: sessions.b.repo: agentuity/nope is not reachable: no repo "nope" under account agentuity (installed accounts: agentuity, Acme)',
				'sessions.yaml:12:3: sessions.c.repos[1]: octo/cat is not reachable: no GitHub account octo is installed (installed accounts: agentuity, Acme)',
				'2 errors in sessions.yaml',
				'',
			].join('\n')
		);
	});
});
