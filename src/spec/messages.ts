/** Turns zod issues into messages written for a person, each with where to point. */
import * as z from 'zod';
import { describeKind, showValue } from '../kinds/session/describe-value.js';
import { didYouMean } from './did-you-mean.js';
import type { PathSegment } from './errors.js';
import type { LocateTarget } from './locate.js';
import { SESSION_ONLY_FIELDS } from './schema.js';
import { expectedNames } from './schema-fields.js';

/**
 * What the parse-time error map returns: marks an issue that has no message of the schema's own,
 * so this module writes one.
 */
export const GENERIC_MESSAGE = '\u0000generic';

export interface SpecIssue {
	readonly path: readonly PathSegment[];
	readonly message: string;
	readonly target: LocateTarget;
}

type Issue = z.core.$ZodIssue;

export function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
	let current = schema;
	while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
		current = current.unwrap() as z.core.$ZodType;
	}
	return current;
}

/** The schema that validates the value at `path`, for wording and allowed keys. */
export function schemaAt(
	root: z.core.$ZodType,
	path: readonly PathSegment[]
): z.core.$ZodType | undefined {
	let schema: z.core.$ZodType | undefined = root;
	for (const segment of path) {
		let current = unwrap(schema);
		if (current instanceof z.ZodUnion) {
			current = current.options
				.map((option) => unwrap(option))
				.find((o) => o instanceof z.ZodObject);
		}
		if (current instanceof z.ZodObject) schema = current.shape[String(segment)];
		else if (current instanceof z.ZodRecord) schema = current.valueType;
		else if (current instanceof z.ZodArray) schema = current.element;
		else return undefined;
	}
	return schema;
}

function isWholeNumberSchema(schema: z.core.$ZodType): boolean {
	return schema instanceof z.ZodNumber && (schema.format ?? '').includes('int');
}

function expectedOne(schema: z.core.$ZodType | undefined): string {
	const current = unwrap(schema);
	if (!current) return 'a valid value';
	const named = expectedNames.get(current);
	if (named) return named.one;
	if (current instanceof z.ZodString) return 'a string';
	if (current instanceof z.ZodNumber)
		return isWholeNumberSchema(current) ? 'a whole number' : 'a number';
	if (current instanceof z.ZodBoolean) return 'true or false';
	if (current instanceof z.ZodArray) return `a list of ${expectedMany(current.element)}`;
	if (current instanceof z.ZodObject || current instanceof z.ZodRecord) return 'a mapping';
	if (current instanceof z.ZodEnum) return `one of ${current.options.join(', ')}`;
	return 'a valid value';
}

function expectedMany(schema: z.core.$ZodType | undefined): string {
	const current = unwrap(schema);
	if (!current) return 'values';
	const named = current && expectedNames.get(current);
	if (named) return named.many;
	if (current instanceof z.ZodString || current instanceof z.ZodEnum) return 'strings';
	if (current instanceof z.ZodNumber) return 'numbers';
	if (current instanceof z.ZodObject || current instanceof z.ZodRecord) return 'mappings';
	return 'values';
}

function allowedKeys(schema: z.core.$ZodType | undefined): readonly string[] {
	let current = unwrap(schema);
	if (current instanceof z.ZodUnion) {
		current = current.options.find((option) => option instanceof z.ZodObject);
	}
	return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unknownFieldMessage(
	parent: readonly PathSegment[],
	key: string,
	allowed: readonly string[]
): string {
	if (
		parent.length === 1 &&
		parent[0] === 'defaults' &&
		(SESSION_ONLY_FIELDS as readonly string[]).includes(key)
	) {
		return `"${key}" cannot be set in defaults; set it on each session`;
	}
	if (key === '<<')
		return 'YAML merge keys (<<) are not supported; put shared settings in defaults';
	const suggestion = didYouMean(key, allowed);
	if (suggestion) return `unknown field ${JSON.stringify(key)} (did you mean "${suggestion}"?)`;
	if (allowed.length > 0 && allowed.length <= 12) {
		return `unknown field ${JSON.stringify(key)} (expected one of ${allowed.join(', ')})`;
	}
	return `unknown field ${JSON.stringify(key)}`;
}

/** The text a value was written as, where YAML read it as something else (`0x10` for 16). */
export type WrittenAs = (path: readonly PathSegment[]) => string | undefined;

function genericMessage(
	issue: Issue,
	schema: z.core.$ZodType | undefined,
	written?: string
): string {
	const input: unknown = issue.input;
	const last = issue.path.at(-1);
	if (input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
		return typeof last === 'string' ? `required field "${last}" is missing` : 'a value is required';
	}
	switch (issue.code) {
		case 'invalid_type': {
			if (issue.expected === 'int' && typeof input === 'number')
				return `expected a whole number (got ${input})`;
			const expected = expectedOne(schema);
			const quoteHint =
				expected === 'a string' && (typeof input === 'number' || typeof input === 'boolean')
					? `; put it in quotes to make it a string: ${JSON.stringify(written ?? String(input))}`
					: '';
			return `expected ${expected} (got ${describeKind(input)})${quoteHint}`;
		}
		case 'invalid_value': {
			const wanted = issue.values.map((value) => String(value));
			const expected = wanted.length === 1 ? wanted[0] : `one of ${wanted.join(', ')}`;
			return `expected ${expected} (got ${showValue(input)})`;
		}
		case 'too_small':
			if (issue.origin === 'string')
				return Number(issue.minimum) <= 1
					? 'must not be empty'
					: `must be at least ${issue.minimum} characters`;
			if (issue.origin === 'array') return `must have at least ${issue.minimum} items`;
			return `must be at least ${issue.minimum} (got ${showValue(input)})`;
		case 'too_big':
			if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
			if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
			return `must be at most ${issue.maximum} (got ${showValue(input)})`;
		default:
			return `invalid value (got ${showValue(input)})`;
	}
}

const messageOf = (
	issue: Issue,
	root: z.core.$ZodType,
	path: readonly PathSegment[],
	writtenAs?: WrittenAs
) =>
	issue.message !== GENERIC_MESSAGE
		? issue.message
		: genericMessage(issue, schemaAt(root, path), writtenAs?.(path));

/** One issue per problem: an unknown-keys issue splits per key, a union issue narrows to its branch. */
export function specIssuesFromZod(
	issues: readonly Issue[],
	root: z.core.$ZodType,
	prefix: readonly PathSegment[] = [],
	writtenAs?: WrittenAs
): SpecIssue[] {
	return issues.flatMap((issue): SpecIssue[] => {
		const path = [...prefix, ...(issue.path as PathSegment[])];
		switch (issue.code) {
			case 'unrecognized_keys': {
				const allowed = allowedKeys(schemaAt(root, path));
				return issue.keys.map((key) => ({
					path: [...path, key],
					message: unknownFieldMessage(path, key, allowed),
					target: 'key',
				}));
			}
			case 'invalid_union': {
				// The branch whose type matched the input (string vs mapping) has the useful detail.
				const matching = issue.errors.filter(
					(branch) =>
						!branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0)
				);
				if (matching.length === 1) return specIssuesFromZod(matching[0]!, root, path, writtenAs);
				return [{ path, message: messageOf(issue, root, path, writtenAs), target: 'value' }];
			}
			case 'invalid_key': {
				const inner = issue.issues.map((each) =>
					each.message !== GENERIC_MESSAGE
						? each.message
						: genericMessage({ ...each, path: [] }, undefined)
				);
				return [{ path, message: inner.join('; '), target: 'key' }];
			}
			default:
				return [{ path, message: messageOf(issue, root, path, writtenAs), target: 'value' }];
		}
	});
}
