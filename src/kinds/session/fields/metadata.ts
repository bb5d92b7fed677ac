/**
 * String metadata, merged over the defaults'. The Hub merges metadata on update and other apps
 * may add keys, so only the keys the spec manages are compared. The tool's own markers are
 * reserved.
 */
import * as z from 'zod';
import { showValue } from '../describe-value.js';
import { MARKER_PREFIX } from '../marker-prefix.js';
import { defineField } from './row.js';

const MetadataKeySchema = z
	.string()
	.min(1)
	.refine((key) => !key.startsWith(MARKER_PREFIX), {
		error: (issue) =>
			`metadata key ${showValue(issue.input)} is reserved: keys starting with "${MARKER_PREFIX}" are written by coder-sessions itself`,
	});

type Metadata = Readonly<Record<string, string>>;

export const metadata = defineField({
	name: 'metadata',
	spec: {
		metadata: z
			.record(MetadataKeySchema, z.string())
			.optional()
			.describe(
				`String metadata, merged over the defaults' metadata; keys starting with "${MARKER_PREFIX}" are reserved`
			),
	},
	required: true,
	merge: (entry, defaults): Metadata => ({ ...defaults.metadata, ...entry.metadata }),
	compare: 'keys',
	onChange: 'update',
	optional: false,
	echo: (live) => live.metadata,
	create: (value: Metadata) => ({ metadata: { ...value } }),
	update: (value: Metadata) => ({ metadata: { ...value } }),
	render: 'entries',
});
