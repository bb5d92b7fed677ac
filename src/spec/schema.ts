/** The spec file's zod schema (format version 1): one file, before defaults are merged. */
import * as z from 'zod';
import { showValue } from '../kinds/session/describe-value.js';
import {
	EVEN_WITH_OTHER_ERRORS,
	rejectLoopInStandardMode,
	sessionFields,
	sharedFields,
} from './schema-fields.js';
import { FIELD_TABLE, IGNORABLE_FIELDS } from '../kinds/session/fields/index.js';

export const SPEC_VERSION = 1;
export const STACK_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const SESSION_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Session fields that make no sense as a default for every session. */
export const SESSION_ONLY_FIELDS: readonly string[] = [
	...FIELD_TABLE.filter((row) => row.sessionOnly).flatMap((row) => Object.keys(row.spec)),
	'state',
	'protect',
	'ignoreChanges',
	'adopt',
	'takeOver',
];

/** Expanded away when the file loads (src/spec/templates): in the schema for editors and fmt. */
export const ForEachSchema = z
	.union([
		z.record(z.string(), z.unknown()),
		z.array(z.string()),
		z.string().regex(/^\$\{var\.[A-Za-z_][A-Za-z0-9_]*\}$/),
	])
	.optional()
	.describe(
		'Makes one entry per item, keyed ENTRY.ITEM: a mapping of item key to any value, a list of strings (key = value), or ${var.NAME} naming a var that holds either. ${each.key}, ${each.value} and ${each.value.FIELD} are filled into the strings of the entry'
	);

/** Expanded away when the file loads (src/spec/templates): in the schema for editors and fmt. */
export const VarsSchema = z
	.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.unknown())
	.optional()
	.describe(
		'Variables and their defaults, filled in as ${var.NAME} in any string; --var-file FILE and then --var NAME=VALUE override them'
	);

export const DefaultsSchema = z
	.strictObject(sharedFields)
	.superRefine(rejectLoopInStandardMode, EVEN_WITH_OTHER_ERRORS)
	.describe(
		"Merged under every session of this file. tags are unioned; metadata, env, loop, resources, network and timeout are merged key by key (the session's value wins); any other field set on the session replaces the default"
	);

export const SessionSchema = z
	.strictObject({
		forEach: ForEachSchema,
		...sessionFields,
		state: z
			.enum(['active', 'archived', 'unmanaged'])
			.optional()
			.meta({ default: 'active' })
			.describe(
				'active (default); archived to archive the session and keep it archived; unmanaged to stop managing it without archiving (its markers are removed, the session keeps running; then delete the entry)'
			),
		protect: z
			.boolean()
			.optional()
			.meta({ default: false })
			.describe('Refuse to archive or delete this session, even once it is removed from the spec'),
		ignoreChanges: z
			.array(z.enum(IGNORABLE_FIELDS))
			.optional()
			.describe('Fields whose differences from the live session plan leaves alone'),
		adopt: z
			.string()
			.refine((id) => id.trim() !== '', {
				error: 'must not be empty: write the id of the session to adopt, or leave adopt out',
			})
			.optional()
			.describe(
				'Id of an existing session (e.g. codesess_...) to adopt instead of creating one: plan shows an adopt, apply writes the ownership markers in one update. Inert while an active session of the stack carries this key'
			),
		takeOver: z
			.boolean()
			.optional()
			.meta({ default: false })
			.describe(
				'With adopt: take the session over even when it belongs to another stack, as --take-over does, for this entry only and reviewable in the spec'
			),
	})
	.superRefine(rejectLoopInStandardMode, EVEN_WITH_OTHER_ERRORS)
	.superRefine(rejectAdoptArchived, EVEN_WITH_OTHER_ERRORS)
	.superRefine(rejectTakeOverWithoutAdopt, EVEN_WITH_OTHER_ERRORS)
	.describe('One Coder session; its key in the sessions mapping is its stable identity');

/** Adopting marks a live session as this entry's; an archived entry has nothing live to adopt. */
function rejectAdoptArchived(
	value: { readonly adopt?: string; readonly state?: string },
	context: z.RefinementCtx
): void {
	if (typeof value.adopt !== 'string' || value.state !== 'archived') return;
	context.addIssue({
		code: 'custom',
		path: ['adopt'],
		input: value.adopt,
		message: 'cannot be combined with state: archived; adopt the session first, then archive it',
	});
}

/** Taking over names the session to take: without `adopt:` there is none. */
function rejectTakeOverWithoutAdopt(
	value: { readonly adopt?: string; readonly takeOver?: boolean },
	context: z.RefinementCtx
): void {
	if (value.takeOver !== true || typeof value.adopt === 'string') return;
	context.addIssue({
		code: 'custom',
		path: ['takeOver'],
		input: value.takeOver,
		message: 'needs adopt: the id of the session to take over',
	});
}

export const SESSION_KEY_RULE =
	'use up to 63 lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit';

const SessionKeySchema = z.string().regex(SESSION_KEY_PATTERN, {
	error: (issue) => `invalid session key ${showValue(issue.input)}: ${SESSION_KEY_RULE}`,
});

export const SpecFileSchema = z
	.strictObject({
		version: z
			.literal(SPEC_VERSION, {
				error: (issue) =>
					issue.input === undefined
						? undefined
						: String(issue.input) === String(SPEC_VERSION)
							? `expected the number ${SPEC_VERSION}, unquoted (got ${showValue(issue.input)})`
							: `unsupported version ${showValue(issue.input)}: this coder-sessions reads version ${SPEC_VERSION}`,
			})
			.describe('Spec format version; must be 1'),
		stack: z
			.string()
			.regex(STACK_PATTERN, {
				error: (issue) =>
					`invalid stack ${showValue(issue.input)}: use lowercase letters, digits and dashes, starting with a letter, at most 63 characters`,
			})
			.describe(
				'Ownership scope: sessions created from this spec are marked with it, and only sessions of this stack are ever changed'
			),
		vars: VarsSchema,
		prune: z
			.enum(['archive', 'delete', 'keep'])
			.optional()
			.meta({ default: 'archive' })
			.describe(
				'What happens to managed sessions missing from the spec: archive (default), delete or keep'
			),
		allowRemovals: z
			.int()
			.min(0)
			.optional()
			.describe(
				'Let apply make exactly this many removals (archives, deletes and replaces of active sessions) past the bulk-removal and empty-spec safety rails, as --allow-removals N does; a different count is refused. Never lifts protection or a foreign owner'
			),
		defaults: DefaultsSchema.optional(),
		sessions: z
			.record(SessionKeySchema, SessionSchema, {
				error: (issue) =>
					issue.code === 'invalid_type' && issue.input === null
						? 'expected a mapping of sessions (got an empty value); write "sessions: {}" for none'
						: undefined,
			})
			.describe(
				'The sessions, keyed by a stable key (lowercase letters, digits, dots, dashes, underscores)'
			),
	})
	.meta({
		title: 'coder-sessions spec',
		description:
			'Agentuity Coder sessions kept in git: coder-sessions plan shows what would change on the Hub, apply makes it so',
	});

export type SpecFileData = z.output<typeof SpecFileSchema>;
export type SessionEntry = z.output<typeof SessionSchema>;
export type SessionDefaults = z.output<typeof DefaultsSchema>;

/** The JSON Schema for editors (`coder-sessions schema`, schema/sessions.schema.json). */
export function specJsonSchema(): Record<string, unknown> {
	const { $schema, title, description, ...rest } = z.toJSONSchema(SpecFileSchema, {
		target: 'draft-7',
		io: 'input',
	});
	return { $schema, title, description, ...rest };
}
