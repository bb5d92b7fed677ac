/**
 * Session fields that name entries of other kinds by key (`workspace`, `skillBuckets`,
 * `savedSkills`, in an entry or in `defaults`) must name entries some file declares; a key
 * field and its id field (`workspace` and `workspaceId`) are not both set in one place.
 */
import type { DesiredResource, KindTable } from '../kinds/kind.js';
import { didYouMean } from './did-you-mean.js';
import type { SpecError } from './errors.js';
import type { ParsedSpecFile } from './parse.js';

const KEY_FIELDS = [
	{ field: 'workspace', section: 'workspaces', kind: 'workspace', ids: 'workspaceId' },
	{ field: 'skillBuckets', section: 'skillBuckets', kind: 'skillBucket', ids: 'skillBucketIds' },
	{ field: 'savedSkills', section: 'skills', kind: 'skill', ids: 'savedSkillIds' },
] as const;

export function sessionReferenceErrors(
	files: readonly ParsedSpecFile[],
	resources: readonly DesiredResource[],
	table: KindTable
): SpecError[] {
	const errors: SpecError[] = [];
	for (const parsed of files) {
		const places: { path: (string | number)[]; entry: Record<string, unknown> }[] = [
			...(parsed.data.defaults
				? [{ path: ['defaults'], entry: parsed.data.defaults as Record<string, unknown> }]
				: []),
			...Object.entries(parsed.data.sessions).map(([key, entry]) => ({
				path: ['sessions', key],
				entry: entry as Record<string, unknown>,
			})),
		];
		for (const { path, entry } of places) {
			for (const { field, section, kind, ids } of KEY_FIELDS) {
				const value = entry[field];
				if (value === undefined) continue;
				const known = table.some((row) => row.name === kind)
					? resources.filter((each) => each.kind === kind).map((each) => each.key)
					: [];
				if (field === 'workspace' && entry[ids] !== undefined) {
					const at = [...path, field];
					errors.push({
						file: parsed.file,
						at: parsed.locate(at, 'key'),
						path: at,
						message: `set workspace (a key under workspaces) or workspaceId (an id), not both`,
					});
				}
				const values = Array.isArray(value) ? value : [value];
				values.forEach((each, index) => {
					if (typeof each !== 'string' || known.includes(each)) return;
					const at = Array.isArray(value) ? [...path, field, index] : [...path, field];
					const suggestion = didYouMean(each, known);
					errors.push({
						file: parsed.file,
						at: parsed.locate(at, 'value'),
						path: at,
						message: `no ${kind} "${each}" is declared under ${section}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; an existing one is named by id in ${ids}`,
					});
				});
			}
		}
	}
	return errors;
}
