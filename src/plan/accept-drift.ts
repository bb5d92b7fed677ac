/**
 * `drift --write`: the changes made outside coder-sessions taken into the spec, so the Hub's
 * current values become the desired ones. Only fields the Hub echoes can be taken (the field
 * table says which), metadata key by key (the spec's keys only, never the tool's markers). Pure.
 */
import { holdsSecret } from '../core/secrets/redact.js';
import { fieldRow, type IgnorableField } from '../kinds/session/fields/index.js';
import { isLeftOut } from '../kinds/session/fields/row.js';
import type { Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import { isActive, type PlanWithPrior } from './types.js';

/** One value to write: `path` under the entry (`[field]`, or `['metadata', key]`). */
export interface SpecEdit {
	readonly file: string;
	readonly key: string;
	readonly path: readonly string[];
	readonly value: unknown;
}

export interface Accepted {
	readonly edits: readonly SpecEdit[];
	/** Changes that cannot be written into the spec, and why. */
	readonly skipped: readonly string[];
}

/** Output shows such a value redacted; a spec file, kept in git, must not hold it at all. */
const SECRET =
	"the Hub's value holds a secret (an env value or the API key), which is never written";

/** `plan` is the plan drift reported (its prior state holds the outside changes) of `live`. */
export function acceptOutsideChanges(
	spec: Spec,
	plan: PlanWithPrior,
	live: readonly LiveSession[]
): Accepted {
	const entries = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const sessions = new Map(live.map((session) => [session.id, session]));
	const edits: SpecEdit[] = [];
	const skipped: string[] = [];
	for (const prior of plan.prior.filter(isActive)) {
		if (prior.outside.length === 0) continue;
		const entry = entries.get(prior.key);
		const session = sessions.get(prior.id);
		if (!entry || entry.state !== 'active' || !session) {
			skipped.push(`${prior.key}: not an active entry of the spec`);
			continue;
		}
		if (entry.template !== undefined) {
			// Its values are the template's, shared by every item: one item's value cannot go there.
			skipped.push(
				`${prior.key}: made by the template "${entry.template}" (edit the template by hand)`
			);
			continue;
		}
		const file = entry.source.file;
		for (const change of prior.outside) {
			const where = `${prior.key}.${change.field}`;
			if (change.field === 'stamp' || change.field === 'protect') {
				skipped.push(`${where}: not a field the Hub echoes`);
				continue;
			}
			if (change.field === 'metadata') {
				for (const key of change.keys ?? []) {
					const value = session.metadata[key];
					if (value !== undefined && holdsSecret(value)) skipped.push(`${where}.${key}: ${SECRET}`);
					else if (value !== undefined) {
						edits.push({ file, key: prior.key, path: ['metadata', key], value });
					} else
						skipped.push(`${where}.${key}: removed on the Hub (remove it from the spec by hand)`);
				}
				continue;
			}
			const value = specValue(change.field, session, change.live);
			if (value === undefined) skipped.push(`${where}: the spec cannot hold the Hub's value`);
			else if (holdsSecret(value)) skipped.push(`${where}: ${SECRET}`);
			else edits.push({ file, key: prior.key, path: [change.field], value });
		}
	}
	return { edits, skipped };
}

/** The echoed value as the spec writes it (as export writes it), or undefined when it cannot. */
function specValue(field: IgnorableField, session: LiveSession, echoed: unknown): unknown {
	const row = fieldRow(field);
	if (!row.echo || row.echoNormalised || row.compare === 'env' || !(field in row.spec)) {
		return undefined;
	}
	const value = row.exportValue ? row.exportValue(row.echo(session), session) : echoed;
	return isLeftOut(value) ? undefined : value;
}
