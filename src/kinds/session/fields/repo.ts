/**
 * Repositories pinned to a session: `repo: owner/name#branch` or the mapping form. Fixed at
 * creation. The Hub echoes them but may fill in more (a url, a provider), so they are compared
 * through the applied stamp.
 */
import * as z from 'zod';
import { showValue } from '../describe-value.js';
import { defineField, defined } from './row.js';
import { expectedNames, text } from './schema-kit.js';

/** A repository pinned to a session; `repo: owner/name#branch` expands to this. */
export interface RepoRef {
	readonly owner: string;
	readonly name: string;
	readonly branch?: string;
	readonly ref?: string;
	readonly commit?: string;
	readonly path?: string;
	readonly provider?: string;
	readonly url?: string;
}

export const REPO_SHORTHAND_PATTERN = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(?:#(\S+))?$/;

const RepoObjectSchema = z.strictObject({
	owner: z.string().min(1).describe('Repository owner or organization'),
	name: z.string().min(1).describe('Repository name'),
	branch: text('Branch checked out for the session'),
	ref: text('Ref checked out for the session'),
	commit: text('Commit SHA to pin the workspace to'),
	path: text('Subpath of the repository mounted in the session'),
	provider: text('Git provider identifier (e.g. github)'),
	url: text('Repository web URL'),
});

export const RepoSchema = z
	.union(
		[
			z.string().regex(REPO_SHORTHAND_PATTERN, {
				error: (issue) =>
					`expected "owner/name" or "owner/name#branch" (got ${showValue(issue.input)})`,
			}),
			RepoObjectSchema,
		],
		{
			error: (issue) =>
				`expected "owner/name[#branch]" or a mapping with owner and name (got ${showValue(issue.input)})`,
		}
	)
	.meta({ id: 'repository' })
	.register(expectedNames, {
		one: 'a repository ("owner/name[#branch]" or a mapping with owner and name)',
		many: 'repositories',
	});

type RepoInput = z.output<typeof RepoSchema>;

/** `owner/name#branch` or the mapping form, as a RepoRef. */
export function parseRepo(input: RepoInput): RepoRef {
	if (typeof input !== 'string') return defined({ ...input });
	const match = REPO_SHORTHAND_PATTERN.exec(input);
	if (!match) throw new Error(`repo ${JSON.stringify(input)} passed the schema but does not parse`);
	const [, owner = '', name = '', branch] = match;
	return defined({ owner, name, branch });
}

/** `owner/name#branch` where that says it all, the mapping otherwise. */
export function repoSpecValue(repo: RepoRef): string | RepoRef {
	const { owner, name, branch, ...rest } = repo;
	const short = `${owner}/${name}${branch === undefined ? '' : `#${branch}`}`;
	const plain = Object.values(rest).every((value) => value === undefined);
	return plain && REPO_SHORTHAND_PATTERN.test(short) ? short : defined({ ...repo });
}

/** The Hub's repository reference: owner and name, plus the fullName the Hub lists. */
const toWireRepo = (repo: RepoRef) => defined({ ...repo, fullName: `${repo.owner}/${repo.name}` });

export const repo = defineField({
	name: 'repo',
	spec: {
		repo: RepoSchema.optional().describe(
			'Primary repository: "owner/name", "owner/name#branch", or a mapping {owner, name, branch, ref, commit, path, provider, url}'
		),
	},
	merge: (entry, defaults) => {
		const input = entry.repo ?? defaults.repo;
		return input === undefined ? undefined : parseRepo(input);
	},
	compare: 'value',
	onChange: 'replace',
	optional: true,
	echo: (live) => live.repo,
	echoNormalised: true,
	create: (value: RepoRef) => ({ repo: toWireRepo(value) }),
	render: 'repo',
	exportValue: (echo) => repoSpecValue(echo as RepoRef),
});

export const repos = defineField({
	name: 'repos',
	spec: {
		repos: z
			.array(RepoSchema)
			.optional()
			.describe('Further repositories mounted in the session, each in either form of repo'),
	},
	merge: (entry, defaults): readonly RepoRef[] | undefined =>
		(entry.repos ?? defaults.repos)?.map(parseRepo),
	compare: 'value',
	onChange: 'replace',
	optional: true,
	echo: (live) => live.repos,
	echoNormalised: true,
	create: (value: readonly RepoRef[]) => ({ repos: value.map(toWireRepo) }),
	render: 'value',
	exportValue: (echo) => (echo as RepoRef[]).map(repoSpecValue),
});
