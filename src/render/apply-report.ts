/** Lines apply prints as actions finish, and its closing summary. */
import type {
	ApplyEvent,
	ApplyResult,
	DuplicateArchived,
	Outcome,
	OutcomeStatus,
	ResourceOutcome,
} from '../apply/events.js';
import type { Style } from './index.js';
import { inlineText as shown } from '../core/untrusted/text.js';
import { resourceSubject, resourceSummaryLines } from './apply-resources.js';

const VERB: Record<string, string> = {
	create: 'create',
	adopt: 'adopt',
	update: 'update',
	replace: 'replace',
	dedupe: 'dedupe',
	archive: 'archive',
	delete: 'delete',
	forget: 'forget',
	noop: 'noop',
};

export function outcomeLine(outcome: Outcome, style: Style): string {
	const { action } = outcome;
	const subject = `${VERB[action.kind]} ${shown(action.key)}`;
	return statusLine(outcome.status, subject, outcome.sessionId, outcome.message, style);
}

/** An action on another kind: `applied  create notes.a (note) (ws_1)`. */
export function resourceOutcomeLine(outcome: ResourceOutcome, style: Style): string {
	const subject = resourceSubject(outcome.action);
	return statusLine(outcome.status, subject, outcome.id, outcome.message, style);
}

/** The line of a finished action, a session's or another kind's. */
export function finishLine(
	event: Extract<ApplyEvent, { type: 'finish' | 'resource-finish' }>,
	style: Style
): string {
	return event.type === 'finish'
		? outcomeLine(event.outcome, style)
		: resourceOutcomeLine(event.outcome, style);
}

function statusLine(
	status: OutcomeStatus,
	subject: string,
	recordId: string | undefined,
	message: string | undefined,
	style: Style
): string {
	const id = recordId ? ` (${shown(recordId)})` : '';
	const note = message ? `: ${shown(message)}` : '';
	// The indent stays outside the colour, so callers can trim it.
	switch (status) {
		case 'applied':
			return '  ' + style.add(`applied  ${subject}${id}`) + style.dim(note);
		case 'failed':
			return '  ' + style.remove(`failed   ${subject}${id}${note}`);
		case 'unknown':
			return '  ' + style.warn(`unknown  ${subject}${note}; run apply again to converge`);
		case 'skipped':
			return '  ' + style.dim(`skipped  ${subject}${note}`);
		case 'not-attempted':
			return '  ' + style.dim(`not attempted  ${subject}${note}`);
		case 'conflict':
			return '  ' + style.warn(`conflict ${subject}${id}${note}`);
	}
}

/**
 * The one line for a run the Hub walked out on: which Hub, why, what is now unknown, and what
 * to do, e.g. "The Hub at http://127.0.0.1:4100 stopped answering (connection refused): 3
 * actions may or may not have happened, 40 not attempted; run apply again once it is back."
 * An answer refused (a proxy's page, too large, a redirect) will come again until the way to the
 * Hub is fixed: the advice is then about the proxy or the URL, not waiting.
 */
export function hubUnavailableLine(result: ApplyResult): string | undefined {
	if (!result.hubUnavailable) return undefined;
	const unknown = statusCount(result, 'unknown');
	const notAttempted = statusCount(result, 'not-attempted');
	const lost = [
		...(unknown > 0 ? [`${plural(unknown, 'action')} may or may not have happened`] : []),
		...(notAttempted > 0 ? [`${notAttempted} not attempted`] : []),
	];
	const what = lost.length > 0 ? lost.join(', ') : 'nothing was read back to check the actions';
	const why = capitalized(shown(result.hubUnavailable));
	if (!result.hubAnswerRefused) return `${why}: ${what}; run apply again once it is back.`;
	// The reason may end in a question of its own ("is a proxy ... in the way?").
	const stop = /[.?!]$/.test(why) ? '' : '.';
	return `${why}${stop} ${capitalized(what)}; ${REFUSED_ADVICE}`;
}

const REFUSED_ADVICE =
	"fix or bypass the proxy in the way, or name the Hub's own URL with --url or AGENTUITY_CODER_URL, then run apply again.";

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Actions of the run, sessions' and other kinds', that ended so. */
function statusCount(result: ApplyResult, status: OutcomeStatus): number {
	const all = [...result.outcomes, ...(result.resourceOutcomes ?? [])];
	return all.filter((outcome) => outcome.status === status).length;
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function duplicateLine({ key, id, kept, cause }: DuplicateArchived): string {
	const stays = shown(kept);
	const why = {
		resent: `a re-sent create of this run made it beside ${stays}, which is kept`,
		joined: `this run created it while ${stays} joined the stack as ${shown(key)} (import or adopt); ${stays} is kept`,
		'other-run': `another run created ${stays} for this key first; ${stays} is kept`,
	}[cause];
	return `Archived duplicate ${shown(key)} (${shown(id)}): ${why}.`;
}

/** Other writers' changes named one by one, up to this many. */
const OTHER_WRITES_SHOWN = 10;

export function summaryLines(result: ApplyResult, stack: string): string[] {
	const count = (status: OutcomeStatus) => statusCount(result, status);
	const notAttempted = count('not-attempted');
	const conflicts = result.outcomes.filter((o) => o.status === 'conflict');
	const lines = [
		`Apply finished: ${count('applied')} applied, ${count('failed')} failed, ${count('skipped')} skipped, ${count('unknown')} unknown${notAttempted > 0 ? `, ${notAttempted} not attempted` : ''}${conflicts.length > 0 ? `, ${conflicts.length} changed by another writer` : ''}.`,
	];
	if (conflicts.length > 0) {
		lines.push(
			`Changed by another writer since the plan, so left as that writer left ${conflicts.length === 1 ? 'it' : 'them'}: plan again.`
		);
		for (const outcome of conflicts.slice(0, OTHER_WRITES_SHOWN))
			lines.push(
				`  ${outcome.action.kind} ${shown(outcome.action.key)}${outcome.sessionId ? ` (${shown(outcome.sessionId)})` : ''}`
			);
		const more = conflicts.length - OTHER_WRITES_SHOWN;
		if (more > 0) lines.push(`  and ${more} more`);
	}
	lines.push(...resourceSummaryLines(result));
	for (const duplicate of result.duplicatesArchived) lines.push(duplicateLine(duplicate));
	if (result.readBackFailure) {
		lines.push(
			`Not checked: the Hub could not be listed after apply (${shown(result.readBackFailure)}), so duplicates and other applies' changes were not looked for.`
		);
	}
	if (result.otherWrites.length > 0) {
		lines.push(`Another apply changed stack ${shown(stack)} while this one ran: plan again.`);
		for (const write of result.otherWrites.slice(0, OTHER_WRITES_SHOWN))
			lines.push(`  ${write.change} ${shown(write.key)} (${shown(write.sessionId)})`);
		const more = result.otherWrites.length - OTHER_WRITES_SHOWN;
		if (more > 0) lines.push(`  and ${more} more`);
	}
	for (const problem of result.notConverged) {
		lines.push(
			`Not converged: ${shown(problem.key)}${problem.sessionId ? ` (${shown(problem.sessionId)})` : ''} ${shown(problem.problem)}`
		);
	}
	return lines;
}
