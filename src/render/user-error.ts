/**
 * A UserError as the CLI shows it: spec errors compiler-style and adopt problems under their
 * heading, from their values; else the message.
 */
import { SpecInvalidError, type UserError } from '../core/errors.js';
import { specErrorLines } from '../core/spec-error.js';
import { AdoptionError, type AdoptProblem } from '../plan/adoption-error.js';
import { summarizeSpecErrors } from '../spec/errors.js';

/**
 * What the error says in full, as stderr and a JSON document's `reasons` carry it: spec errors
 * one per line after their heading, or followed by their count when there is none; the hint last.
 */
export function userErrorText(error: UserError): string {
	if (error instanceof AdoptionError) return adoptionText(error.problems);
	if (!(error instanceof SpecInvalidError)) return error.message;
	const { lines } = specErrorLines(error.errors);
	return [
		...(error.heading ? [error.heading, ...lines] : [...lines, summarizeSpecErrors(error.errors)]),
		...(error.hint ? [error.hint] : []),
	].join('\n');
}

/** The heading, then one problem a line at its entry's `adopt:`. */
function adoptionText(problems: readonly AdoptProblem[]): string {
	const noun = problems.length === 1 ? 'problem' : 'problems';
	return [
		`Cannot plan: ${problems.length} ${noun} with adopt:`,
		...problems.map(
			(problem) =>
				`  ${problem.file}:${problem.line}:${problem.column}: sessions.${problem.key}.adopt: ${problem.message}`
		),
	].join('\n');
}

/** For stderr: `Error: ` first, unless the text speaks for itself (a list of problems). */
export function renderUserError(error: UserError): string {
	const text = userErrorText(error);
	const listed =
		error instanceof AdoptionError || (error instanceof SpecInvalidError && !error.heading);
	return listed ? text : `Error: ${text}`;
}
