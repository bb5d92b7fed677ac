/**
 * Fields that name another record (an agent, a workspace, a saved skill, a skill bucket) by id or
 * by key. An empty one names nothing: the Hub would be sent it (with --no-reference-check) or
 * refuse it, so the spec refuses it where it is written and says what to write instead.
 */
import * as z from 'zod';

/** At least one character that is not blank (a JSON Schema `pattern` too, for editors). */
const NOT_BLANK = /\S/;

/** One id or key: `what` says what to write, e.g. `an agent id`. */
export const referenceText = (what: string) =>
	z
		.string()
		.regex(NOT_BLANK, { error: `must not be empty: write ${what}, or leave the field out` });

/** A list of ids or keys, each as referenceText. */
export const referenceList = (what: string) =>
	z.array(
		z.string().regex(NOT_BLANK, { error: `must not be empty: write ${what}, or remove the item` })
	);
