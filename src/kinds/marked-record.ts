/**
 * What the agent, workspace, saved skill and skill bucket rows share: the stack's marker in a
 * record's `description` (description-marker.ts), the spec's `description` field compared
 * without it, and the message a plan refuses a collision with.
 */
import * as z from 'zod';
import { markedDescription, readMarker } from './description-marker.js';
import type { KindField, KindValues, Owner } from './kind.js';

interface Described {
	readonly description?: string | null;
}

/** The stack and key a record's description marks it with; undefined: made by hand. */
export function ownerOfDescribed(record: Described): Owner | undefined {
	return readMarker(record.description ?? undefined).owner;
}

/** The `description` field: the spec's text, compared with the record's text before the marker. */
export function descriptionField<Live extends Described>(
	onChange: 'update' | 'replace',
	describe = (record: Live): Described => record
): KindField<Live> {
	return {
		name: 'description',
		spec: z.string().optional(),
		// The marker's line follows the text: trailing blank space is not kept.
		desired: (entry) =>
			typeof entry.description === 'string' ? entry.description.trimEnd() : undefined,
		live: (record) => readMarker(describe(record).description ?? undefined).text,
		onChange,
		render: 'text',
	};
}

/**
 * The description a write sends: the desired text (none: the marker alone) with the marker. An
 * update sends it every time, so a record adopted by `adopt: ID` is marked as the stack's.
 */
export function descriptionFor(owner: Owner, values: KindValues): string {
	return markedDescription(owner, values.description as string | undefined);
}

/**
 * The message a plan refuses with when a record the stack does not own stands in the way:
 * `instead` says how the entry can make its own record; `owner` is the stack marking the record,
 * which must forget it before another stack can adopt it.
 */
export function adoptOrRemove(
	what: string,
	id: string,
	why: string,
	instead: string,
	owner?: string
): string {
	if (owner === undefined)
		return `${what} ${id} ${why}; it is not the stack's: adopt it (adopt: ${id}), ${instead}, or remove it`;
	return `${what} ${id} ${why}; it belongs to stack ${owner}: ${instead}, or have stack ${owner} forget it, then adopt it (adopt: ${id})`;
}

/** A field holding a list of strings, compared in order, sent under its own name. */
export const stringList = () => z.array(z.string().min(1)).optional();

/** The value of `name` in `values` when set. */
export function valueOf<T>(values: KindValues, name: string): T | undefined {
	return values[name] as T | undefined;
}

/** Only the entries whose value is set. */
export function definedOnly<T extends Record<string, unknown>>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** What `forget` sends: the record's description without the marker (the record stays, unowned). */
export function unmarkedDescription(record: Described): { description: string } {
	return { description: readMarker(record.description ?? undefined).text };
}
