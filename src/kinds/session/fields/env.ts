/**
 * Environment variables: templates in the spec (`${NAME}` read at apply time), values on the Hub.
 * Fixed at creation. Never shown or stored as values: plans carry keys, the stamp digests.
 */
import * as z from 'zod';
import { showValue } from '../describe-value.js';
import { ENV_NAME_PATTERN, templateProblems } from '../env-template.js';
import { defineField } from './row.js';

const EnvNameSchema = z.string().regex(ENV_NAME_PATTERN, {
	error: (issue) =>
		`invalid environment variable name ${showValue(issue.input)}: use letters, digits and underscores, not starting with a digit`,
});

const EnvTemplateSchema = z.string().superRefine((value, context) => {
	for (const message of templateProblems(value)) context.addIssue({ code: 'custom', message });
});

type Env = Readonly<Record<string, string>>;

export const env = defineField({
	name: 'env',
	spec: {
		env: z
			.record(EnvNameSchema, EnvTemplateSchema)
			.optional()
			.describe(
				'Environment variables for the session runtime. Values are templates: ${NAME} is read from the environment at apply time; $$ is a literal $ (so $${ is a literal ${); $NAME without braces is an error'
			),
	},
	required: true,
	merge: (entry, defaults): Env => ({ ...defaults.env, ...entry.env }),
	compare: 'env',
	onChange: 'replace',
	optional: false,
	// The Hub's detail names the variables; values, when it echoes them, are digested on reading.
	echo: (live) => live.envKeys,
	/** Given the values resolved at apply time, never the templates. */
	create: (resolved: Env) => (Object.keys(resolved).length > 0 ? { env: { ...resolved } } : {}),
	render: 'secret',
});
