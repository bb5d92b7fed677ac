/**
 * `show KEY`: one record of another kind (`show agents.reviewer`), as the Hub holds it: its id,
 * each field's live value and its status words. Reads only.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { readOnly } from '../hub/client.js';
import {
	resourceRowOfKey,
	findResourceRecord,
	type ResourceRecordView,
} from '../plan/resource-views.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import type { Environment } from './environment.js';
import { readResourceRecords } from './resource-planning.js';
import { withSpecAndHub, type SpecAndHub } from './spec-and-hub.js';

export interface ShownRecord {
	readonly stack: string;
	/** The stack's records of the key: one, or more when two applies made one each. */
	readonly records: readonly ResourceRecordView[];
}

/**
 * Whether `show` is given a key of another kind rather than a saved plan: the key is spelled as
 * one of the table's qualified keys (`notes.a`) and names no file.
 */
export async function namesRecord(
	argument: string,
	request: Pick<SpecAndHub, 'table'>,
	environment: Pick<Environment, 'cwd'>
): Promise<boolean> {
	if (!resourceRowOfKey(request.table ?? BUILT_IN_KINDS, argument)) return false;
	const file = await stat(resolve(environment.cwd, argument)).catch(() => undefined);
	return file === undefined;
}

/** Loads the spec (its stack), reads the key's kind on the Hub, and finds the stack's record. */
export function showRecordFiles(
	key: string,
	request: SpecAndHub,
	environment: Environment
): Promise<ShownRecord> {
	const table = request.table ?? BUILT_IN_KINDS;
	return withSpecAndHub(request, environment, async (spec, connected) => {
		const records = await readResourceRecords(readOnly(connected.hub), table);
		const found = findResourceRecord(table, spec.stack, records, key);
		if (found === undefined) throw new UserError(`show: ${key} names no kind of the spec`);
		if ('missing' in found) {
			const known = found.known.length > 0 ? found.known.join(', ') : 'none';
			throw new UserError(
				`show names no record of stack ${spec.stack}: ${key} (its records of that kind: ${known})`
			);
		}
		return { stack: spec.stack, records: found.found };
	});
}
