import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { replaceFile } from './replace-file.js';
import { needsLiterals, restoreLiterals } from '../plan/env/restore-literals.js';
import { UserError } from '../core/errors.js';
import type { ConnectedHub, HubTarget } from './connect.js';
import type { Planned } from './plan.js';
import { savedPlanBody } from '../plan/env/saved.js';
import {
	parseSavedPlan,
	SAVED_PLAN_KIND,
	SAVED_PLAN_VERSION,
	serializeSavedPlan,
	type SavedPlan,
	type SavedPlanTarget,
	type SkippedCheck,
} from '../plan/saved.js';
import { redact } from '../core/secrets/redact.js';
import { envKeyOf, ENV_KEY_VARIABLE } from '../core/secrets/env-key.js';
import { ExitCode } from '../core/exit-code.js';
import { warn, type Environment } from './environment.js';
import { loadSpecOrFail } from './planning.js';
import type { SpecVarInputs } from '../spec/templates/vars.js';
import type { KindTable } from '../kinds/kind.js';

/**
 * Far above any plan a spec can make (spec files are at most 5 MiB each, and reading 10,000
 * sessions already takes most of a plan's memory), and below the longest string V8 can hold: a
 * larger file is refused before it is read, not after hundreds of MB.
 */
export const MAX_SAVED_PLAN_BYTES = 256 * 1024 * 1024;

/** A saved plan as stored: env templates without their literal text. */
export async function readSavedPlan(
	planfile: string,
	environment: Pick<Environment, 'cwd'>
): Promise<SavedPlan> {
	const cannotRead = (why: string) =>
		new UserError(`${planfile}: cannot read the saved plan (${why})`);
	let text: string;
	let handle;
	try {
		// Non-blocking, so a FIFO opens at once; checked through the handle before any read, as a
		// FIFO or a device would never end it.
		handle = await open(
			resolve(environment.cwd, planfile),
			constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)
		);
		const info = await handle.stat();
		if (info.isDirectory()) throw cannotRead('it is a directory');
		if (!info.isFile()) throw cannotRead('not a regular file; give the file plan --out wrote');
		if (info.size > MAX_SAVED_PLAN_BYTES) {
			const mib = (info.size / 1024 / 1024).toFixed(0);
			throw cannotRead(
				`it is ${mib} MiB; a saved plan may be at most ${MAX_SAVED_PLAN_BYTES / 1024 / 1024} MiB`
			);
		}
		text = await handle.readFile('utf8');
	} catch (error) {
		if (error instanceof UserError) throw error;
		throw cannotRead(readFailure(error));
	} finally {
		await handle?.close();
	}
	return parseSavedPlan(text, planfile);
}

/**
 * A saved plan ready to apply: literal env text read back from the spec files it was made from
 * (or `files`, from -f), and checked to be what was planned.
 */
export async function readSavedPlanToApply(
	planfile: string,
	files: readonly string[],
	environment: Environment,
	table?: KindTable
): Promise<SavedPlan> {
	const saved = await readSavedPlan(planfile, environment);
	if (!needsLiterals(saved)) return saved;
	const sources = files.length > 0 ? files : saved.specFiles;
	for (const file of sources) {
		const path = resolve(environment.cwd, file);
		try {
			await access(path);
		} catch {
			// Relative names are the ones the plan was made with: read from the working directory.
			const where = path === file ? '' : ` (${path})`;
			throw new UserError(
				`${planfile}: the plan's env has literal text, which a saved plan never holds; it is read from the spec file ${file}${where}, which cannot be read (apply from the folder the plan was made in, or give the spec files with -f)`
			);
		}
	}
	const restored = restoreLiterals(
		saved,
		await loadSpecOrFail(sources, { ...environment, specVars: savedVars(saved) }, table),
		envKeyOf(environment.env)
	);
	if (!restored.ok) {
		throw new UserError(
			`${planfile}: the spec (${sources.join(', ')}) no longer matches the plan: ${restored.problems.join('; ')}; run plan again`,
			ExitCode.Stale
		);
	}
	if (restored.unchecked.length > 0) {
		warn(
			environment,
			`note: literal env text of ${restored.unchecked.join(', ')} read from ${sources.join(', ')} without checking it is what was planned (plan and apply with the same ${ENV_KEY_VARIABLE} to check it)`
		);
	}
	return restored.saved;
}

/**
 * A saved plan carries the vars it was made with: its spec is read back with them, never with
 * other ones, so it expands as it did when the plan was made.
 */
export function savedVars(saved: SavedPlan): SpecVarInputs {
	const vars = saved.spec.vars ?? {};
	return { values: Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, v.value])) };
}

/** A saved plan goes back to the Hub it was made against, unless the flags name another. */
export function savedPlanTarget<T extends HubTarget>(flags: T, saved: SavedPlan): T {
	if (flags.local || flags.url || flags.region) return flags;
	return {
		...flags,
		local: saved.target.local,
		url: saved.target.url,
		org: flags.org ?? saved.target.org,
		...(saved.target.region ? { region: saved.target.region } : {}),
	};
}

/**
 * Why the Hub connected to is not the one the plan was made for (another URL, the local Hub
 * instead of a remote one or back, another org), in words; undefined when it is the same.
 * A plan read from one Hub says nothing about another: it is not stale there, it is foreign.
 */
export function otherHubReason(
	saved: SavedPlanTarget,
	now: ConnectedHub['target']
): string | undefined {
	const sameUrl = saved.local
		? now.local
		: !now.local && trimSlash(saved.url) === trimSlash(now.url);
	const sameOrg = saved.org === undefined || now.org === undefined || saved.org === now.org;
	const sameRegion =
		saved.region === undefined || now.region === undefined || saved.region === now.region;
	if (sameUrl && sameOrg && sameRegion) return undefined;
	return `it was made for ${describeTarget(saved)}, and this apply reaches ${describeTarget(now)}`;
}

function describeTarget(target: SavedPlanTarget): string {
	const where = target.local
		? 'the local Hub'
		: target.url
			? target.url
			: target.region
				? `the Hub of region ${target.region}`
				: 'the default Hub';
	return target.org ? `${where} (org ${target.org})` : where;
}

const trimSlash = (url: string | undefined) => url?.replace(/\/+$/, '');

/**
 * Saves a plan to apply later, owner-only: env values only as keyed digests, literal env text
 * not at all (it is read back from the spec files at apply). Never over a spec or var file.
 * Always a new file of mode 0600 renamed into place: an existing file's mode is not kept, and a
 * symlink at the path is replaced, never written through.
 */
export async function writeSavedPlan(
	planned: Pick<Planned, 'spec' | 'plan'> & { readonly skippedChecks?: readonly SkippedCheck[] },
	target: ConnectedHub['target'],
	planfile: string,
	environment: Environment,
	now: Date = new Date()
): Promise<void> {
	const out = resolve(environment.cwd, planfile);
	if (planned.spec.files.some((file) => resolve(environment.cwd, file) === out)) {
		throw new UserError(`--out ${planfile} would overwrite a spec file; name another file`);
	}
	const varFiles = environment.specVars?.files ?? [];
	if (varFiles.some((file) => resolve(environment.cwd, file) === out)) {
		throw new UserError(`--out ${planfile} would overwrite a --var-file; name another file`);
	}
	const saved = {
		kind: SAVED_PLAN_KIND,
		formatVersion: SAVED_PLAN_VERSION,
		createdAt: now.toISOString(),
		target,
		...savedPlanBody(planned.spec, planned.plan, environment.env),
		...(planned.skippedChecks?.length ? { skippedChecks: planned.skippedChecks } : {}),
	} as const;
	try {
		await replaceFile(out, redact(serializeSavedPlan(saved)), 0o600);
	} catch (error) {
		// A bad --out path is the user's to fix, not a crash.
		throw new UserError(`cannot write the plan to ${planfile}: ${writeFailure(error)}`);
	}
}

/** Why a read failed, in words about the path the user gave. */
function readFailure(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
	if (code === 'EISDIR') return 'it is a directory';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	return code ?? (error instanceof Error ? error.message : String(error));
}

/** Why a write failed, in words about the path the user gave (never the temp file's name). */
function writeFailure(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT' || code === 'ENOTDIR') return 'its folder does not exist';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'EISDIR') return 'it is a directory';
	if (code === 'EROFS') return 'the file system is read-only';
	if (code === 'ENOSPC') return 'no space left on the device';
	if (code === 'ENAMETOOLONG') return 'the name is too long';
	return code ?? (error instanceof Error ? error.message : String(error));
}
