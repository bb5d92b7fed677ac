/**
 * Loop mode in `status`: where each loop-mode session's loop is (getLoopState: status, iteration,
 * summary, next action; else the list's `loopStatus`/`loopIteration`), shown in the MODE column
 * and, for a loop that waits on a person (`blocked`, `awaiting_input`), in a line under the
 * table. Pure.
 */
import type { LoopSummary } from '../hub/types.js';
import { inlineText } from '../core/untrusted/text.js';
import type { StatusRow } from '../plan/status-rows.js';

/** Loop statuses that wait on a person: visible at a glance. */
export const LOOP_NEEDS_ATTENTION: ReadonlySet<string> = new Set(['blocked', 'awaiting_input']);

/** The row's loop: as getLoopState gave it, else as the session's detail lists it. */
export function loopOf(row: StatusRow): LoopSummary | undefined {
	const session = row.session;
	if (!session || session.workflowMode !== 'loop') return undefined;
	if (row.activity?.loop) return row.activity.loop;
	if (session.loopStatus === undefined) return undefined;
	return { status: session.loopStatus, iteration: session.loopIteration ?? 0 };
}

export function needsAttention(row: StatusRow): boolean {
	const loop = loopOf(row);
	return loop !== undefined && !row.session?.archived && LOOP_NEEDS_ATTENTION.has(loop.status);
}

/** `standard`, `loop`, or `loop: blocked 3/20` (iteration of the maximum, when known). */
export function modeText(row: StatusRow): string {
	const session = row.session;
	if (!session) return '-';
	const loop = loopOf(row);
	if (!loop) return inlineText(session.workflowMode);
	const of = loop.maxIterations !== undefined ? `/${loop.maxIterations}` : '';
	return `loop: ${inlineText(loop.status)} ${loop.iteration}${of}`;
}

/**
 * One line per loop that waits on a person: `Loop of KEY (ID) is blocked at iteration 3: SUMMARY.
 * Next: NEXT ACTION.`
 */
export function attentionLines(rows: readonly StatusRow[]): string[] {
	return rows.filter(needsAttention).map((row) => {
		const loop = loopOf(row)!;
		const status = loop.status === 'awaiting_input' ? 'awaiting input' : inlineText(loop.status);
		const summary = loop.summary ? `: ${oneLine(loop.summary)}` : '';
		const next = loop.nextAction ? ` Next: ${oneLine(loop.nextAction)}.` : '';
		return `Loop of ${inlineText(row.key)} (${inlineText(row.session!.id)}) is ${status} at iteration ${loop.iteration}${summary}.${next}`;
	});
}

function oneLine(text: string): string {
	return inlineText(text.replace(/\s+/g, ' ').trim().replace(/\.$/, ''));
}

/** The loop in `status --format json`: null outside loop mode. */
export interface StatusLoopJson {
	readonly status: string;
	readonly iteration: number;
	readonly maxIterations: number | null;
	readonly summary: string | null;
	readonly nextAction: string | null;
	readonly needsAttention: boolean;
}

export function loopJson(row: StatusRow): StatusLoopJson | null {
	const loop = loopOf(row);
	if (!loop) return null;
	return {
		status: loop.status,
		iteration: loop.iteration,
		maxIterations: loop.maxIterations ?? null,
		summary: loop.summary ?? null,
		nextAction: loop.nextAction ?? null,
		needsAttention: needsAttention(row),
	};
}
