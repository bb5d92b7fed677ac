/**
 * zod leaves a record's value unchecked when its key is invalid: a bad session key would hide
 * every error of that session. This validates those values too, so one run reports them all.
 */
import * as z from 'zod';
import type { PathSegment } from './errors.js';
import { schemaAt, unwrap } from './messages.js';

type Issue = z.core.$ZodIssue;
type ParseOptions = z.core.ParseContext<z.core.$ZodIssue>;

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
	let value = data;
	for (const segment of path) {
		if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) {
			return undefined;
		}
		value = (value as Record<PathSegment, unknown>)[segment];
	}
	return value;
}

/** The issues of the values whose keys were invalid, with paths from the root; recursively. */
export function issuesBehindInvalidKeys(
	issues: readonly Issue[],
	data: unknown,
	root: z.core.$ZodType,
	options: ParseOptions
): Issue[] {
	return issues.flatMap((issue) => {
		if (issue.code !== 'invalid_key') return [];
		const path = issue.path as PathSegment[];
		const record = unwrap(schemaAt(root, path.slice(0, -1)));
		if (!(record instanceof z.ZodRecord)) return [];
		const result = z.safeParse(record.valueType, valueAt(data, path), options);
		if (result.success) return [];
		const found = result.error.issues.map((inner) => ({
			...inner,
			path: [...path, ...inner.path],
		})) as Issue[];
		return [...found, ...issuesBehindInvalidKeys(found, data, root, options)];
	});
}
