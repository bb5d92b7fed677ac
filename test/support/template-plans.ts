/**
 * Plans made by the real planner from entries expanded from a template (`template` set, keys
 * `ENTRY.ITEM`), and the same plans without the template, to compare their rendering.
 */
import { planSessions } from '../../src/plan/diff.js';
import type { DesiredSession, Spec } from '../../src/kinds/session/desired.js';
import type { LiveSession } from '../../src/kinds/session/live.js';
import type { Plan } from '../../src/plan/types.js';
import { desired, spec } from './session-builders.js';

/**
 * `shard.ITEM` as a forEach over `shard` expands it: the item (`${each.key}`) in the task, label
 * and repo; the owner, an item's own value (`${each.value.owner}`), one of a few teams.
 */
export function shard(item: string, fields: Partial<DesiredSession> = {}): DesiredSession {
	return desired(`shard.${item}`, {
		template: 'shard',
		task: `Migrate ${item} to the new queue in staging.`,
		label: `Migrate ${item}`,
		repo: { owner: 'acme', name: item },
		visibility: 'private',
		tags: ['migration'],
		metadata: { team: 'platform', owner: teamOf(item) },
		env: { API_TOKEN: 'literal-token-value' },
		...fields,
	});
}

const TEAMS = ['payments', 'search', 'growth'];

const teamOf = (item: string): string =>
	TEAMS[[...item].reduce((sum, char) => sum + char.charCodeAt(0), 0) % TEAMS.length] as string;

export const items = (count: number, prefix = 'svc'): string[] =>
	Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);

/** The same entries as plain ones: no template. */
export function untemplated(entries: readonly DesiredSession[]): DesiredSession[] {
	return entries.map(({ template: _template, ...entry }) => entry);
}

export function planOfEntries(
	entries: readonly DesiredSession[],
	live: readonly LiveSession[] = [],
	fields: Partial<Spec> = {}
): Plan {
	return planSessions(spec([...entries], fields), live);
}
