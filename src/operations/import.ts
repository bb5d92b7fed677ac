/**
 * `import`: adopt existing sessions into the spec's stack. Like terraform import, the spec must
 * declare the entry; the plan made here only adopts, and applies like any other.
 */
import { missingEnvOf } from '../plan/env/missing.js';
import { envValueHashesFor } from '../plan/env/resolve.js';
import { UserError } from '../core/errors.js';
import {
	findImportSessions,
	importEntryKeys,
	specWithAdoptions,
} from '../spec/export/import-entries.js';
import { readOnly } from '../hub/client.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import { MARKER } from '../ownership/markers.js';
import { planSessions } from '../plan/diff.js';
import type { Spec } from '../kinds/session/desired.js';
import { SESSION_KEY_PATTERN } from '../spec/schema.js';
import type { ConnectedHub } from './connect.js';
import { callsSince } from './hub-calls.js';
import { warn, type Environment } from './environment.js';
import type { Planned } from './plan.js';
import { refusalReasons } from './refusal.js';

export interface ImportOptions {
	/** The spec entry the session becomes (one session only). */
	readonly key?: string;
	/** Adopt sessions that belong to another stack. */
	readonly takeOver?: boolean;
	readonly parallelism?: number;
}

export type ImportPlan =
	/** Every session named is managed by the stack already. */
	| { readonly status: 'nothing' }
	/** The spec lacks entries to import into: these, to add under `sessions:`. */
	| { readonly status: 'missing-entries'; readonly snippets: readonly string[] }
	/**
	 * The adoption to apply; `replaced` names entries whose create-time fields differ, which
	 * import refuses (it adopts sessions as they are).
	 */
	| { readonly status: 'planned'; readonly planned: Planned; readonly replaced: readonly string[] };

export async function planImport(
	ids: readonly string[],
	spec: Spec,
	connected: ConnectedHub,
	environment: Environment,
	options: ImportOptions = {}
): Promise<ImportPlan> {
	const unique = [...new Set(ids)];
	checkImportKey(options.key, unique.length);
	const reader = readOnly(connected.hub);
	const before = { ...reader.calls };
	const live = await reader.readLiveSessions({
		parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
	});
	const pending = findImportSessions(unique, live).filter((session) => {
		const key =
			session.metadata[MARKER.stack] === spec.stack ? session.metadata[MARKER.key] : undefined;
		if (key !== undefined)
			warn(
				environment,
				`${session.id} is managed by stack ${spec.stack} already, as ${key}; nothing to import.`
			);
		return key === undefined;
	});
	if (pending.length === 0) return { status: 'nothing' };
	const { keys, snippets } = importEntryKeys(spec, live, pending, options.key);
	if (snippets.length > 0) return { status: 'missing-entries', snippets };
	const adopting = specWithAdoptions(spec, live, keys);
	const plan = planSessions(adopting, live, {
		only: [...keys.values()],
		envValueHashesBySession: envValueHashesFor(adopting, live, environment.env),
		takeOver: options.takeOver === true,
	});
	const replaced = plan.actions
		.filter((action) => action.kind === 'replace')
		.map((action) => action.key);
	const meta = { files: spec.files, hubCalls: callsSince(before, reader.calls) };
	return {
		status: 'planned',
		planned: {
			spec,
			plan,
			live,
			meta,
			refusal: refusalReasons(plan),
			missingEnv: missingEnvOf(plan, environment.env),
		},
		replaced,
	};
}

/** `--key` names one entry of one session. */
export function checkImportKey(key: string | undefined, sessions: number): void {
	if (key === undefined) return;
	if (sessions !== 1) {
		throw new UserError(
			'--key names the entry of one session: give exactly one SESSION_ID with it'
		);
	}
	if (!SESSION_KEY_PATTERN.test(key)) {
		throw new UserError(
			`invalid --key "${key}": use lowercase letters, digits, dots, dashes and underscores`
		);
	}
}
