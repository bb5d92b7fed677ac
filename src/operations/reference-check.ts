/**
 * The reference check's IO: list each kind of library record the plan names once, look up once
 * each workspace or custom agent the list did not show (the list may leave some out, e.g. a
 * slug), then let src/plan/reference-check.ts decide. Plan and apply run it after planning,
 * before anything is rendered or written.
 */
import pLimit from 'p-limit';
import { HubError, SpecInvalidError } from '../core/errors.js';
import type { HubReader, LibraryEntry } from '../hub/types.js';
import {
	KIND_NOUN,
	REFERENCE_KINDS,
	findReferenceProblems,
	idsToLookUp,
	referenceProblemsAsSpecErrors,
	referencesOf,
	type KnownRecords,
	type ReferenceKind,
} from '../plan/reference-check.js';
import type { Plan } from '../plan/types.js';
import { sortSpecErrors } from '../spec/errors.js';
import { warn, type Environment } from './environment.js';

export interface ReferenceCheckOptions {
	/** False with --no-reference-check. */
	readonly enabled: boolean;
	/** The Hub cannot answer the check (the local Hub without fixtures): print this instead. */
	readonly skipped?: string;
	readonly parallelism: number;
	/** Lists the plan already read (by library kind): not read again. */
	readonly listed?: ReadonlyMap<ReferenceKind, readonly LibraryEntry[] | null>;
}

/**
 * Throws a SpecInvalidError holding every reference the Hub does not hold, at its place in the
 * spec; exit 1. Returns the notes it printed (kinds it could not check), for the renderings.
 */
export async function checkReferences(
	plan: Plan,
	hub: HubReader,
	environment: Environment,
	options: ReferenceCheckOptions
): Promise<string[]> {
	if (!options.enabled) return [];
	const references = referencesOf(plan);
	const kinds = REFERENCE_KINDS.filter((kind) => idsToLookUp(references, kind).length > 0);
	if (kinds.length === 0) return [];
	// Skipped where the Hub cannot answer, unless the plan's own lists of the kinds do.
	if (options.skipped && !kinds.every((kind) => options.listed?.get(kind))) {
		warn(environment, options.skipped);
		return [options.skipped];
	}
	const limit = pLimit(options.parallelism);
	const known = new Map<ReferenceKind, KnownRecords>();
	const notes: string[] = [];
	await Promise.all(
		kinds.map(async (kind) => {
			const records = await readKind(
				hub,
				kind,
				idsToLookUp(references, kind),
				limit,
				options.listed?.get(kind)
			);
			if (records) known.set(kind, records);
			else notes.push(noRouteNote(kind));
		})
	);
	notes.sort().forEach((note) => warn(environment, note));
	const problems = findReferenceProblems(references, known);
	if (problems.length === 0) return notes;
	const errors = referenceProblemsAsSpecErrors(problems);
	const files = [...new Set(errors.map((error) => error.file))];
	const hint = 'Fix the spec, create what it names on the Hub, or pass --no-reference-check.';
	throw new SpecInvalidError(sortSpecErrors(errors, files), { hint });
}

export const noRouteNote = (kind: ReferenceKind) =>
	`reference check: this Hub cannot list ${KIND_NOUN[kind]}s, so ${KIND_NOUN[kind]} references were not checked`;

/** The kind's records, and which of `ids` the Hub holds; undefined when it has no route. */
async function readKind(
	hub: HubReader,
	kind: ReferenceKind,
	ids: readonly string[],
	limit: ReturnType<typeof pLimit>,
	already?: readonly LibraryEntry[] | null
): Promise<KnownRecords | undefined> {
	try {
		// null: the plan found no route for the kind; undefined: the plan did not read it.
		const listed =
			already === null ? undefined : (already ?? (await limit(() => hub.listLibrary(kind))));
		if (!listed) return undefined;
		const entries: LibraryEntry[] = [...listed];
		const found = new Set(
			listed.flatMap((entry) => [entry.id, ...(entry.slug ? [entry.slug] : [])])
		);
		if (kind === 'workspace' || kind === 'agent') {
			const unlisted = ids.filter((id) => !found.has(id));
			const looked = await Promise.all(
				unlisted.map((id) => limit(async () => [id, await hub.findLibraryEntry(kind, id)] as const))
			);
			for (const [id, entry] of looked) if (entry) found.add(id);
		}
		return { found, entries };
	} catch (error) {
		if (error instanceof HubError) {
			const hint = 'needed by the reference check; skip it with --no-reference-check';
			throw new HubError(`${error.message} (${hint})`, error.status);
		}
		throw error;
	}
}
