/**
 * The local Hub's GitHub fixture: a YAML or JSON list of {account, repos}. Read for
 * `hub serve --github-repos FILE`, and for `--local` from .coder-sessions/github-repos.yaml
 * (or .yml, .json) when present.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../core/errors.js';
import { LocalGithubAccountsSchema, type LocalGithubAccount } from './index.js';

export const LOCAL_GITHUB_FIXTURES = [
	'.coder-sessions/github-repos.yaml',
	'.coder-sessions/github-repos.yml',
	'.coder-sessions/github-repos.json',
] as const;

/** `label` starts every message, e.g. `--github-repos`. */
export async function readGithubFixture(
	file: string,
	label: string
): Promise<LocalGithubAccount[]> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		throw new UserError(`${label}: cannot read ${file} (${(error as Error).message})`);
	}
	return parseGithubFixture(text, file, label);
}

/** The first of LOCAL_GITHUB_FIXTURES under `cwd`, read; undefined when there is none. */
export async function findLocalGithubFixture(
	cwd: string
): Promise<{ readonly file: string; readonly accounts: LocalGithubAccount[] } | undefined> {
	for (const file of LOCAL_GITHUB_FIXTURES) {
		let text: string;
		try {
			text = await readFile(join(cwd, file), 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw new UserError(`${file}: cannot read the GitHub fixture (${(error as Error).message})`);
		}
		return { file, accounts: parseGithubFixture(text, file, file) };
	}
	return undefined;
}

function parseGithubFixture(text: string, file: string, label: string): LocalGithubAccount[] {
	const prefix = label === file ? file : `${label}: ${file}`;
	let value: unknown;
	try {
		value = parseYaml(text);
	} catch (error) {
		throw new UserError(`${prefix} is not valid JSON or YAML (${(error as Error).message})`);
	}
	const result = LocalGithubAccountsSchema.safeParse(value);
	if (!result.success) {
		const issue = result.error.issues[0];
		const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
		throw new UserError(
			`${prefix}${where}: ${issue?.message ?? 'invalid'} (expected a list like [{account: agentuity, repos: [sdk, docs]}])`
		);
	}
	return result.data;
}
