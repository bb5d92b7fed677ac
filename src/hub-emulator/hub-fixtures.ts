/**
 * `hub serve --fixtures FILE`: a JSON or YAML file of users, skills, buckets, workspaces, agents.
 * Read for `--local` from .coder-sessions/hub-fixtures.yaml (or .yml, .json) when present.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../core/errors.js';
import { LocalFixturesSchema, type LocalFixtures } from './index.js';

export async function readHubFixtures(file: string, label: string): Promise<LocalFixtures> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		throw new UserError(`${label}: cannot read ${file} (${(error as Error).message})`);
	}
	let value: unknown;
	try {
		value = parseYaml(text);
	} catch (error) {
		throw new UserError(
			`${label}: ${file} is not valid JSON or YAML (${(error as Error).message})`
		);
	}
	const result = LocalFixturesSchema.safeParse(value ?? {});
	if (!result.success) {
		const issue = result.error.issues[0];
		const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
		throw new UserError(
			`${label}: ${file}${where}: ${issue?.message ?? 'invalid'} (expected a mapping with users, skills, buckets, workspaces and agents lists)`
		);
	}
	return result.data;
}

export const LOCAL_HUB_FIXTURES = [
	'.coder-sessions/hub-fixtures.yaml',
	'.coder-sessions/hub-fixtures.yml',
	'.coder-sessions/hub-fixtures.json',
] as const;

/** The first of LOCAL_HUB_FIXTURES under `cwd`, read; undefined when there is none. */
export async function findLocalHubFixtures(cwd: string): Promise<LocalFixtures | undefined> {
	for (const file of LOCAL_HUB_FIXTURES) {
		try {
			await access(join(cwd, file));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
		}
		return readHubFixtures(join(cwd, file), file);
	}
	return undefined;
}
