/** Lines apply prints as actions finish, and its closing summary. */
import type { ApplyResult, Outcome } from '../apply/events.js';
import type { Style } from '../plan/render/index.js';

const VERB: Record<string, string> = {
	create: 'create',
	adopt: 'adopt',
	update: 'update',
	replace: 'replace',
	dedupe: 'dedupe',
	archive: 'archive',
	delete: 'delete',
	noop: 'noop',
};

export function outcomeLine(outcome: Outcome, style: Style): string {
	const { action } = outcome;
	const subject = `${VERB[action.kind]} ${action.key}`;
	const id = outcome.sessionId ? ` (${outcome.sessionId})` : '';
	const note = outcome.message ? `: ${outcome.message}` : '';
	// The indent stays outside the colour, so callers can trim it.
	switch (outcome.status) {
		case 'applied':
			return '  ' + style.add(`applied  ${subject}${id}`) + style.dim(note);
		case 'failed':
			return '  ' + style.remove(`failed   ${subject}${id}${note}`);
		case 'unknown':
			return '  ' + style.warn(`unknown  ${subject}${note}; run apply again to converge`);
		case 'skipped':
			return '  ' + style.dim(`skipped  ${subject}${note}`);
	}
}

export function summaryLines(result: ApplyResult): string[] {
	const count = (status: Outcome['status']) =>
		result.outcomes.filter((o) => o.status === status).length;
	const lines = [
		`Apply finished: ${count('applied')} applied, ${count('failed')} failed, ${count('skipped')} skipped, ${count('unknown')} unknown.`,
	];
	for (const { key, id, kept } of result.duplicatesArchived) {
		lines.push(
			`Archived duplicate ${key} (${id}): a re-sent create made it beside ${kept}, which is kept.`
		);
	}
	for (const problem of result.notConverged) {
		lines.push(
			`Not converged: ${problem.key}${problem.sessionId ? ` (${problem.sessionId})` : ''} ${problem.problem}`
		);
	}
	return lines;
}

export function applySucceeded(result: ApplyResult): boolean {
	return (
		result.notConverged.length === 0 &&
		result.outcomes.every((o) => o.status === 'applied' || o.status === 'skipped')
	);
}
