/** The task prompt: required, fixed at creation, echoed on the detail, shown as a line diff. */
import * as z from 'zod';
import { defineField } from './row.js';

export const task = defineField({
	name: 'task',
	spec: {
		task: z
			.string()
			.refine((value) => value.trim() !== '', { error: 'must not be empty' })
			.describe(
				'Primary task prompt for the session (fixed at creation: a change replaces the session)'
			),
	},
	sessionOnly: true,
	required: true,
	merge: (entry): string => entry.task ?? '',
	compare: 'value',
	onChange: 'replace',
	optional: false,
	echo: (live) => live.task,
	create: (value: string) => ({ task: value }),
	render: 'lines',
	exportValue: (echo) => echo ?? '',
});
