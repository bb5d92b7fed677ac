import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_SPEC_BYTES, formatSpecError, loadSpec } from '../../src/spec/index.js';

const invalidDir = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));

async function errorsOf(...files: string[]): Promise<string[]> {
	const result = await loadSpec(files, { cwd: invalidDir });
	if (result.ok) throw new Error(`expected ${files.join(', ')} to be invalid`);
	return result.errors.map(formatSpecError);
}

/** One fixture per failure; the exact messages, positions included, are the contract. */
const CASES: Record<string, readonly string[]> = {
	'yaml-syntax.yaml': [
		'yaml-syntax.yaml:6:21: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
	],
	'tab-indent.yaml': [
		'tab-indent.yaml:4:1: invalid YAML: tabs are not allowed as indentation',
		'tab-indent.yaml:5:1: invalid YAML: tabs are not allowed as indentation',
	],
	// One mis-indented key: one error naming both lines, not one per line yaml then misreads.
	'mis-indented-key.yaml': [
		'mis-indented-key.yaml:6:4: invalid YAML: this key starts in column 4 but the key on line 5 above it in column 5; the keys of one mapping must start in the same column',
	],
	'dedented-key.yaml': [
		'dedented-key.yaml:6:3: invalid YAML: this key starts in column 3 but the key on line 7 below it in column 5; the keys of one mapping must start in the same column, and a key with a value on its own line holds no keys under it',
	],
	'duplicate-key.yaml': [
		'duplicate-key.yaml:8:3: sessions.api-review: duplicate key "api-review" (first declared at line 4); keys must be unique',
	],
	'unknown-field.yaml': [
		'unknown-field.yaml:3:1: sesions: unknown field "sesions" (did you mean "sessions"?)',
		'unknown-field.yaml:7:5: sessions.api-review.lable: unknown field "lable" (did you mean "label"?)',
		'unknown-field.yaml:8:5: sessions.api-review.workflowmode: unknown field "workflowmode" (did you mean "workflowMode"?)',
		'unknown-field.yaml:9:5: sessions.api-review.colour: unknown field "colour"',
		'unknown-field.yaml:11:7: sessions.api-review.loop.goals: unknown field "goals" (did you mean "goal"?)',
		'unknown-field.yaml:12:5: sessions.api-review.repo.name: required field "name" is missing',
		'unknown-field.yaml:14:7: sessions.api-review.repo.nmae: unknown field "nmae" (did you mean "name"?)',
	],
	'wrong-type.yaml': [
		'wrong-type.yaml:6:11: sessions.api-review.tags: expected a list of strings (got a string)',
		'wrong-type.yaml:7:12: sessions.api-review.label: expected a string (got a list)',
		'wrong-type.yaml:8:14: sessions.api-review.protect: expected true or false (got a string)',
		'wrong-type.yaml:9:27: sessions.api-review.enabledAgents[1]: expected a string (got a number); put it in quotes to make it a string: "7"',
		'wrong-type.yaml:11:22: sessions.api-review.loop.maxIterations: expected a whole number (got 2.5)',
	],
	'bad-enum.yaml': [
		'bad-enum.yaml:3:8: prune: expected one of archive, delete, keep (got "never")',
		'bad-enum.yaml:7:17: sessions.api-review.visibility: expected one of private, organization, collaborate (got "public")',
		'bad-enum.yaml:8:19: sessions.api-review.workflowMode: expected one of standard, loop (got "loopy")',
		'bad-enum.yaml:9:12: sessions.api-review.state: expected one of active, archived, unmanaged (got "deleted")',
		'bad-enum.yaml:10:28: sessions.api-review.ignoreChanges[1]: expected one of label, visibility, tags, workflowMode, loop, agent, defaultAgent, enabledAgents, skills, metadata, task, env, repo, repos, workspaceId, savedSkillIds, skillBucketIds, sandbox (got "colour")',
	],
	'invalid-session-key.yaml': [
		'invalid-session-key.yaml:4:3: sessions.API_Review: invalid session key "API_Review": use up to 63 lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit',
		'invalid-session-key.yaml:6:3: sessions.-leading-dash: invalid session key "-leading-dash": use up to 63 lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit',
	],
	'invalid-stack.yaml': [
		'invalid-stack.yaml:2:8: stack: invalid stack "Docs Team": use lowercase letters, digits and dashes, starting with a letter, at most 63 characters',
	],
	'missing-task.yaml': [
		'missing-task.yaml:4:3: sessions.api-review.task: required field "task" is missing',
		'missing-task.yaml:7:11: sessions.blank-task.task: must not be empty',
	],
	'missing-top-level.yaml': [
		'missing-top-level.yaml:2:1: version: required field "version" is missing',
		'missing-top-level.yaml:2:1: stack: required field "stack" is missing',
	],
	'env-reference.yaml': [
		'env-reference.yaml:9:17: sessions.api-review.env.BAD_NAME: invalid variable name "1TOKEN" in "${1TOKEN}": use letters, digits and underscores, not starting with a digit (or "$${" for a literal "${")',
		'env-reference.yaml:10:14: sessions.api-review.env.EMPTY: empty reference "${}": write ${NAME}, or "$${" for a literal "${"',
		'env-reference.yaml:11:17: sessions.api-review.env.UNCLOSED: unclosed "${" (write "$${" for a literal "${")',
		'env-reference.yaml:12:7: sessions.api-review.env.1BAD: invalid environment variable name "1BAD": use letters, digits and underscores, not starting with a digit',
		'env-reference.yaml:13:13: sessions.api-review.env.PORT: expected a string (got a number); put it in quotes to make it a string: "8080"',
	],
	'metadata.yaml': [
		'metadata.yaml:5:5: defaults.metadata["coder-sessions/stack"]: metadata key "coder-sessions/stack" is reserved: keys starting with "coder-sessions/" are written by coder-sessions itself',
		'metadata.yaml:10:15: sessions.api-review.metadata.ticket: expected a string (got a number); put it in quotes to make it a string: "123"',
		'metadata.yaml:11:15: sessions.api-review.metadata.urgent: expected a string (got true); put it in quotes to make it a string: "true"',
	],
	'loop-standard.yaml': [
		'loop-standard.yaml:6:19: sessions.api-review.workflowMode: is "standard" but a loop block is set: use workflowMode: loop, or remove the loop block',
	],
	'defaults-session-only.yaml': [
		'defaults-session-only.yaml:4:3: defaults.task: "task" cannot be set in defaults; set it on each session',
		'defaults-session-only.yaml:5:3: defaults.protect: "protect" cannot be set in defaults; set it on each session',
	],
	'version.yaml': [
		'version.yaml:1:10: version: unsupported version 2: this coder-sessions reads version 1',
	],
	'version-quoted.yaml': [
		'version-quoted.yaml:1:10: version: expected the number 1, unquoted (got "1")',
	],
	'empty.yaml': [
		'empty.yaml:1:1: the file is empty; expected a mapping with version, stack and sessions',
	],
	'comments-only.yaml': [
		'comments-only.yaml:1:1: the file is empty; expected a mapping with version, stack and sessions',
	],
	'top-level-list.yaml': [
		'top-level-list.yaml:1:1: expected a mapping with version, stack and sessions at the top level (got a list)',
	],
	'top-level-scalar.yaml': [
		'top-level-scalar.yaml:1:1: expected a mapping with version, stack and sessions at the top level (got "sessions")',
	],
	'multiple-documents.yaml': [
		'multiple-documents.yaml:4:1: the file holds more than one YAML document (---); put everything in one',
	],
	'alias-bomb.yaml': [
		'alias-bomb.yaml:4:8: document expands too many aliases (a "billion laughs" document?); at most 100 alias expansions are allowed',
	],
	'alias-value.yaml': [
		'alias-value.yaml:3:1: shared: unknown field "shared" (expected one of version, stack, vars, prune, allowRemovals, defaults, sessions, skills, skillBuckets, agents, workspaces)',
		'alias-value.yaml:7:15: sessions.api-review.colour: unknown field "colour"',
	],
	'sessions-list.yaml': ['sessions-list.yaml:4:3: sessions: expected a mapping (got a list)'],
	'sessions-empty.yaml': [
		'sessions-empty.yaml:3:1: sessions: expected a mapping of sessions (got an empty value); write "sessions: {}" for none',
	],
	'repo.yaml': [
		'repo.yaml:6:11: sessions.api-review.repo: expected "owner/name" or "owner/name#branch" (got "agentuity")',
		'repo.yaml:9:9: sessions.api-review.repos[1]: expected "owner/name[#branch]" or a mapping with owner and name (got 42)',
		'repo.yaml:10:9: sessions.api-review.repos[2].name: required field "name" is missing',
		'repo.yaml:13:11: sessions.docs-review.repo: expected "owner/name" or "owner/name#branch" (got "agentuity/docs#")',
	],
	'empty-values.yaml': [
		'empty-values.yaml:3:1: defaults: expected a mapping (got an empty value)',
		'empty-values.yaml:7:5: sessions.api-review.label: expected a string (got an empty value)',
		'empty-values.yaml:8:18: sessions.api-review.tags[1]: expected a string (got an empty value)',
		'empty-values.yaml:9:3: sessions.docs-bot: expected a mapping (got an empty value)',
	],
	'unknown-alias.yaml': [
		'unknown-alias.yaml:6:11: unknown alias "*shared-tags": no anchor "&shared-tags" is defined before it',
	],
	'numbers.yaml': [
		'numbers.yaml:7:22: sessions.api-review.loop.maxIterations: must be at least 1 (got 0)',
		'numbers.yaml:9:13: sessions.api-review.network.port: must be at least 1024 (got 80)',
	],
};

describe('invalid spec files', () => {
	it.each(Object.entries(CASES))('%s', async (file, expected) => {
		expect(await errorsOf(file)).toEqual(expected);
	});

	it('reports a key declared in two files at the second, naming the first', async () => {
		expect(
			await errorsOf('duplicate-across-files/a.yaml', 'duplicate-across-files/b.yaml')
		).toEqual([
			'duplicate-across-files/b.yaml:6:3: sessions.api-review: session "api-review" is already declared at duplicate-across-files/a.yaml:4:3',
		]);
	});

	it('reports files that disagree on stack and prune', async () => {
		expect(await errorsOf('stack-mismatch/a.yaml', 'stack-mismatch/b.yaml')).toEqual([
			'stack-mismatch/b.yaml:2:8: stack: stack "platform" differs from stack "docs-team" at stack-mismatch/a.yaml:2:8; all files of one spec share one stack',
			'stack-mismatch/b.yaml:3:8: prune: prune "delete" differs from prune "archive" at stack-mismatch/a.yaml:3:8; set it once, or the same in every file',
		]);
	});

	it('collects the errors of every file, in the order the files were given', async () => {
		expect(await errorsOf('version.yaml', 'empty.yaml', 'no-such-file.yaml')).toEqual([
			'version.yaml:1:10: version: unsupported version 2: this coder-sessions reads version 1',
			'empty.yaml:1:1: the file is empty; expected a mapping with version, stack and sessions',
			'no-such-file.yaml: file not found',
		]);
	});

	it('reports a file that is not there; for the default file, where it looked and how to name one', async () => {
		expect(await errorsOf('other.yaml')).toEqual(['other.yaml: file not found']);
		expect(await errorsOf('sessions.yaml')).toEqual([
			`sessions.yaml: file not found in ${invalidDir.replace(/\/$/, '')} (read when -f names no spec): run from the folder that holds it, or give the spec with -f FILE`,
		]);
	});

	it('reads a directory as its YAML files, and reports a file given twice', async () => {
		expect(await errorsOf('stack-mismatch')).toEqual([
			'stack-mismatch/b.yaml:2:8: stack: stack "platform" differs from stack "docs-team" at stack-mismatch/a.yaml:2:8; all files of one spec share one stack',
			'stack-mismatch/b.yaml:3:8: prune: prune "delete" differs from prune "archive" at stack-mismatch/a.yaml:3:8; set it once, or the same in every file',
		]);
		expect(await errorsOf('stack-mismatch', 'stack-mismatch/a.yaml')).toContain(
			'stack-mismatch/a.yaml: file given more than once'
		);
		const file = 'duplicate-across-files/a.yaml';
		expect(await errorsOf(file, `./${file}`)).toEqual([
			'./duplicate-across-files/a.yaml: file given more than once',
		]);
	});

	it('refuses a file over the size limit before parsing it', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'coder-sessions-spec-'));
		try {
			await writeFile(join(dir, 'huge.yaml'), `# ${'x'.repeat(MAX_SPEC_BYTES)}\n`);
			const result = await loadSpec(['huge.yaml'], { cwd: dir });
			expect(result.ok ? [] : result.errors.map(formatSpecError)).toEqual([
				'huge.yaml: file is too large (5.0 MiB; a spec may be at most 5 MiB)',
			]);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});
