/**
 * The steps plan, apply and show share: load the spec, read the Hub, plan, render. Notes printed
 * on stderr while planning are also returned, for the markdown and JSON renderings.
 */
import { MARKER } from '../ownership/markers.js';
import { UserError } from '../errors.js';
import { envValueHashesFor } from '../env/resolve.js';
import { uncomparedEnvNote } from '../env/uncompared-note.js';
import { keyWarning } from '../secrets/env-key.js';
import type { HubReader } from '../hub-client/types.js';
import { planSessions } from '../plan/diff.js';
import { RENDERERS, type OutputFormat, type PlanMeta } from '../render/index.js';
import type { Plan } from '../plan/types.js';
import { loadSpec } from '../spec/load.js';
import { renderSpecErrors } from '../spec/errors.js';
import type { Spec } from '../session/desired.js';
import { withHeapWatch } from './heap.js';
import { discoverWithProgress } from './discovery-option.js';
import { planNeeds } from '../discovery/plan-needs.js';
import type { DiscoveryMode, Listing } from '../discovery/types.js';
import type { Io } from './io.js';
import type { LiveSession } from '../session/live.js';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'json'];

export async function loadSpecOrFail(files: readonly string[], io: Io): Promise<Spec> {
	const result = await loadSpec(files, { cwd: io.cwd });
	if (!result.ok) throw new UserError(renderSpecErrors(result.errors).trimEnd(), 1, true);
	return result.spec;
}

export interface PlanRequest {
	readonly only: readonly string[];
	readonly parallelism: number;
	/** `--take-over`: `adopt:` may name sessions of other stacks. */
	readonly takeOver?: boolean;
	/** `--discovery` (default auto). */
	readonly discovery?: DiscoveryMode;
	/** `--base`: the spec at the base ref, planned against the same sessions. */
	readonly base?: Spec;
}

export async function planAgainstHub(
	spec: Spec,
	hub: HubReader,
	io: Io,
	request: PlanRequest
): Promise<{
	plan: Plan;
	live: LiveSession[];
	notes: string[];
	listing: Listing;
	/** One line: which discovery found the sessions, and why (for the plan's footer). */
	discovery: string;
}> {
	const { live, listing, note } = await withHeapWatch(() =>
		discoverWithProgress(hub, io, {
			stack: spec.stack,
			mode: request.discovery,
			parallelism: request.parallelism,
			...planNeeds(spec, request.only, request.base),
		})
	);
	checkOnlyKeys(spec, live, request.only);
	const envValueHashesBySession = envValueHashesFor(spec, live, io.env);
	const notes = [uncomparedEnvNote(spec, live, io.env), keyWarning(io.env)].filter(
		(note): note is string => note !== undefined
	);
	notes.forEach((note) => io.err(note));
	const takeOver = request.takeOver === true;
	return {
		plan: planSessions(spec, live, { only: request.only, envValueHashesBySession, takeOver }),
		live,
		notes,
		listing,
		discovery: note,
	};
}

/** `--only` must name an entry of the spec or a live session of the stack. */
function checkOnlyKeys(spec: Spec, live: readonly LiveSession[], only: readonly string[]): void {
	const known = new Set(spec.sessions.map((entry) => entry.key));
	for (const session of live) {
		if (session.metadata[MARKER.stack] === spec.stack)
			known.add(session.metadata[MARKER.key] ?? '');
	}
	const unknown = only.filter((key) => !known.has(key));
	if (unknown.length > 0) {
		throw new UserError(
			`--only names no entry of the spec nor session of stack ${spec.stack}: ${unknown.join(', ')}`
		);
	}
}

export function parseFormat(value: string | undefined): OutputFormat {
	const format = (value ?? 'text') as OutputFormat;
	if (!OUTPUT_FORMATS.includes(format)) {
		throw new UserError(`--format must be one of ${OUTPUT_FORMATS.join(', ')} (got "${value}")`);
	}
	return format;
}

/**
 * Colour on a terminal, or wherever FORCE_COLOR is set and not "0" (or "false") (CI logs that render ANSI);
 * never with NO_COLOR or --no-color, which win over FORCE_COLOR.
 */
export function useColor(io: Io, flag: boolean | undefined): boolean {
	if (flag === false || io.env.NO_COLOR) return false;
	const force = io.env.FORCE_COLOR;
	return io.isTTY || (force !== undefined && force !== '0' && force !== 'false');
}

export function render(format: OutputFormat, plan: Plan, meta: PlanMeta, color: boolean): string {
	return RENDERERS[format]({ plan, meta }, { color });
}
