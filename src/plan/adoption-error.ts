/** Why `adopt:` cannot be planned, as values: its own module, so that showing it loads no planner. */
import { UserError } from '../core/errors.js';

/** Why one entry's `adopt:` cannot be planned, at the entry's place in the spec. */
export interface AdoptProblem {
	/** The entry's key: the problem is at `sessions.KEY.adopt`. */
	readonly key: string;
	readonly file: string;
	readonly line: number;
	readonly column: number;
	readonly message: string;
}

/**
 * `adopt:` names sessions that cannot be adopted; nothing is planned. The problems are values
 * (a view renders them); the message lists them as plain text for callers that print it.
 */
export class AdoptionError extends UserError {
	override readonly name: string = 'AdoptionError';
	constructor(readonly problems: readonly AdoptProblem[]) {
		const noun = problems.length === 1 ? 'problem' : 'problems';
		super(
			[
				`Cannot plan: ${problems.length} ${noun} with adopt:`,
				...problems.map(
					(p) => `  ${p.file}:${p.line}:${p.column}: sessions.${p.key}.adopt: ${p.message}`
				),
			].join('\n')
		);
	}
}
