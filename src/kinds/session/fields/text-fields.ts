/** Plain text fields: the entry's value, else the default's. */
import * as z from 'zod';
import { defineField, entryOrDefault } from './row.js';
import { referenceText } from '../../reference-schema.js';
import { normalizeVisibility, VISIBILITY_INPUTS, isVisibilityInput } from '../visibility.js';
import { showValue } from '../describe-value.js';
import type { Visibility } from '../desired.js';
import { entryToken } from '../entry-reference.js';

export const label = defineField({
	name: 'label',
	spec: { label: z.string().optional().describe('Human-readable session label') },
	sessionOnly: true,
	merge: (entry) => entry.label,
	compare: 'value',
	onChange: 'update',
	optional: true,
	echo: (live) => live.label,
	create: (value: string) => ({ label: value }),
	update: (value: string) => ({ label: value }),
	render: 'text',
	// The Hub derives a label from the task when none is given: repeating it adds nothing.
	exportValue: (echo, live) =>
		echo !== '' && echo !== (live.task ?? '').trim() ? echo : undefined,
});

const VisibilitySchema = z
	.string()
	.refine(isVisibilityInput, {
		error: (issue) =>
			`expected one of private, organization, collaborate (got ${showValue(issue.input)})`,
	})
	.meta({ enum: [...VISIBILITY_INPUTS] });

export const visibility = defineField({
	name: 'visibility',
	spec: {
		visibility: VisibilitySchema.optional().describe(
			'Who can see the session: private, organization (alias org) or collaborate (alias collab); case-insensitive'
		),
	},
	merge: (entry, defaults): Visibility | undefined => {
		const input = entry.visibility ?? defaults.visibility;
		return input === undefined ? undefined : normalizeVisibility(input);
	},
	compare: 'value',
	onChange: 'update',
	optional: true,
	echo: (live) => live.visibility,
	create: (value: Visibility) => ({ visibility: value }),
	update: (value: Visibility) => ({ visibility: value }),
	render: 'value',
	exportValue: (echo) =>
		(typeof echo === 'string' ? normalizeVisibility(echo) : undefined) ?? {
			leftOut: `${JSON.stringify(echo)} is not a spec value`,
		},
});

/** An empty id the Hub echoes names nothing: export leaves the field out, as the spec must. */
const noneWhenBlank = (echo: unknown) =>
	typeof echo === 'string' && echo.trim() === '' ? undefined : echo;

export const agent = defineField({
	name: 'agent',
	spec: {
		agent: referenceText('an agent id')
			.optional()
			.describe('Default agent identifier to use for execution'),
	},
	merge: (entry, defaults) => entryOrDefault(entry.agent, defaults.agent),
	compare: 'value',
	onChange: 'update',
	optional: true,
	create: (value: string) => ({ agent: value }),
	update: (value: string) => ({ agent: value }),
	render: 'value',
});

export const defaultAgent = defineField({
	name: 'defaultAgent',
	spec: {
		defaultAgent: referenceText('an agent id')
			.optional()
			.describe('Preferred default agent identifier for routing session prompts'),
	},
	merge: (entry, defaults) => entryOrDefault(entry.defaultAgent, defaults.defaultAgent),
	compare: 'value',
	onChange: 'update',
	optional: true,
	echo: (live) => live.defaultAgent,
	create: (value: string) => ({ defaultAgent: value }),
	update: (value: string) => ({ defaultAgent: value }),
	render: 'value',
	exportValue: noneWhenBlank,
});

export const workspaceId = defineField({
	name: 'workspaceId',
	spec: {
		workspaceId: referenceText('a workspace id (or workspace: with a key under workspaces)')
			.optional()
			.describe('Workspace identifier associated with the session'),
		workspace: referenceText('a key under workspaces')
			.optional()
			.describe(
				'Key of a workspace declared under workspaces: (its id is taken at apply; not with workspaceId)'
			),
	},
	merge: (entry, defaults) =>
		entryOrDefault(
			entry.workspace !== undefined ? entryToken('workspaces', entry.workspace) : entry.workspaceId,
			defaults.workspace !== undefined
				? entryToken('workspaces', defaults.workspace)
				: defaults.workspaceId
		),
	compare: 'value',
	onChange: 'replace',
	optional: true,
	echo: (live) => live.workspaceId,
	create: (value: string) => ({ workspaceId: value }),
	render: 'value',
	exportValue: noneWhenBlank,
});
