/** One entry plus its file's defaults into the DesiredSession every later stage reads. */
import type { SessionDefaults, SessionEntry } from './schema.js';
import type { DesiredSession, SourceLocation } from '../kinds/session/desired.js';
import { mergeFields } from '../kinds/session/fields/index.js';

export { parseRepo } from '../kinds/session/fields/repo.js';

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Each field merges as its row says (src/kinds/session/fields); the rest is the entry's own. */
export function normalizeSession(
	key: string,
	entry: SessionEntry,
	defaults: SessionDefaults = {},
	source: SourceLocation,
	template?: string
): DesiredSession {
	return {
		key,
		...mergeFields(entry, defaults),
		state: entry.state ?? 'active',
		protect: entry.protect ?? false,
		ignoreChanges: unique(entry.ignoreChanges ?? []),
		...(entry.adopt !== undefined ? { adopt: entry.adopt.trim() } : {}),
		...(entry.takeOver ? { takeOver: true as const } : {}),
		source,
		...(template !== undefined ? { template } : {}),
	};
}
