/** Reads the spec files as they were at a git ref (`plan --base REF`); the only git access. */
import { execFile } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { decodeSpecBytes } from '../spec/decode.js';
import { MAX_SPEC_BYTES } from '../spec/load.js';
import type { SpecSource } from '../spec/merge.js';

export interface SpecAtRef {
	/** The commit the ref names. */
	readonly commit: string;
	/** The files that exist at the commit, as text. */
	readonly sources: readonly SpecSource[];
	/** The files the commit does not have: all their entries are new. */
	readonly absent: readonly string[];
	/** Files that exist at the commit but cannot be read as a spec (not UTF-8, too large). */
	readonly unreadable: readonly string[];
}

interface GitResult {
	readonly ok: boolean;
	readonly stdout: Buffer;
	readonly stderr: string;
}

function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<GitResult> {
	return new Promise((done, fail) => {
		execFile(
			'git',
			args,
			// C locale: the messages below are matched in English.
			{
				cwd,
				encoding: 'buffer',
				maxBuffer: MAX_SPEC_BYTES + 1024,
				env: { ...env, LC_ALL: 'C' },
			},
			(error, stdout, stderr) => {
				const code = (error as NodeJS.ErrnoException | null)?.code;
				if (code === 'ENOENT') {
					fail(
						new UserError('--base needs git, and git was not found (is it installed and on PATH?)')
					);
					return;
				}
				if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
					done({ ok: false, stdout: Buffer.alloc(0), stderr: 'too large' });
					return;
				}
				done({ ok: !error, stdout, stderr: stderr.toString('utf8').trim() });
			}
		);
	});
}

const firstLine = (text: string) => text.split('\n')[0]?.replace(/^fatal: /, '') ?? '';

async function resolveCommit(ref: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
	if (ref === '' || ref.startsWith('-')) {
		throw new UserError(
			`--base needs a git ref such as origin/main or a commit sha (got "${ref}")`
		);
	}
	const result = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd, env);
	if (result.ok) return result.stdout.toString('utf8').trim();
	if (/not a git repository/i.test(result.stderr)) {
		throw new UserError(`--base ${ref}: the spec is not in a git repository (${cwd})`);
	}
	throw new UserError(
		`--base ${ref}: no such commit in the spec's git repository${result.stderr ? ` (${firstLine(result.stderr)})` : ''}`
	);
}

/** Each file is read from its own directory, so `REF:./name` finds it wherever the repository starts. */
export async function readSpecAtRef(
	ref: string,
	files: readonly string[],
	cwd: string,
	/** The environment git runs with (PATH, HOME, GIT_*). */
	env: NodeJS.ProcessEnv
): Promise<SpecAtRef> {
	const [first] = files;
	const commit = await resolveCommit(ref, dirname(resolve(cwd, first ?? '.')), env);
	const sources: SpecSource[] = [];
	const absent: string[] = [];
	const unreadable: string[] = [];
	for (const file of files) {
		const path = resolve(cwd, file);
		const result = await git(
			['cat-file', 'blob', `${commit}:./${basename(path)}`],
			dirname(path),
			env
		);
		if (!result.ok) {
			if (/does not exist in|exists on disk, but not in/.test(result.stderr)) absent.push(file);
			else if (result.stderr === 'too large') unreadable.push(file);
			else
				throw new UserError(
					`--base ${ref}: cannot read ${file} at ${commit.slice(0, 12)} (${firstLine(result.stderr)})`
				);
			continue;
		}
		const decoded = decodeSpecBytes(result.stdout);
		if (decoded.ok) sources.push({ file, text: decoded.text });
		else unreadable.push(file);
	}
	return { commit, sources, absent, unreadable };
}
