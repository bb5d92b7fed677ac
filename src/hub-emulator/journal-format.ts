/**
 * The state file format: JSON Lines. Line 1 is a header; every other line is one operation.
 * A `put` carries the whole session (a `putRecord` one whole library record), so replay is
 * idempotent and a snapshot is just puts.
 */
import * as z from 'zod';
import { LocalHubStateError } from './errors.js';
import { LibraryRecordSchema, type LibraryRecord } from './library-record.js';
import { recordKey } from './record-index.js';
import { StoredSessionSchema, type StoredSession } from './session-record.js';

export const JOURNAL_KIND = 'coder-sessions/local-hub';
export const JOURNAL_VERSION = 1;

const HeaderSchema = z.object({
	kind: z.literal(JOURNAL_KIND),
	version: z.literal(JOURNAL_VERSION),
});

const OperationSchema = z.discriminatedUnion('op', [
	z.object({ op: z.literal('put'), session: StoredSessionSchema }),
	z.object({ op: z.literal('delete'), org: z.string(), id: z.string() }),
	z.object({ op: z.literal('putRecord'), record: LibraryRecordSchema }),
	z.object({
		op: z.literal('deleteRecord'),
		kind: z.enum(['workspace', 'skill', 'bucket', 'agent', 'user']),
		org: z.string(),
		id: z.string(),
	}),
]);
export type JournalOperation = z.infer<typeof OperationSchema>;

export function headerLine(): string {
	return JSON.stringify({ kind: JOURNAL_KIND, version: JOURNAL_VERSION });
}

export function operationLine(operation: JournalOperation): string {
	return JSON.stringify(operation);
}

/**
 * The journal line for `operation`, checked to read back as the same kind of entry replay
 * accepts: a write that could not be replayed must fail before it is stored, not at the next start.
 */
export function encodeOperation(operation: JournalOperation): string {
	const line = operationLine(operation);
	const result = OperationSchema.safeParse(JSON.parse(line));
	if (!result.success) {
		const issue = result.error.issues[0];
		const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
		throw new Error(`cannot store this session (${where}${issue?.message ?? 'invalid'})`);
	}
	return line;
}

export interface ParsedJournal {
	readonly operations: JournalOperation[];
	/** Set when an unfinished last line (a crash mid-append) was dropped. */
	readonly droppedTail?: { readonly line: number; readonly bytes: number };
}

/**
 * Parses the whole file. Only an unterminated last line may be dropped (the journal's crash
 * recovery); anything else that does not parse is corruption and throws LocalHubStateError.
 */
export function parseJournal(file: string, text: string): ParsedJournal {
	const lines = text.split('\n');
	// A file ending in '\n' splits into a trailing '' that is not a line.
	const tail = lines.pop() ?? '';
	const operations: JournalOperation[] = [];
	lines.forEach((line, index) => {
		const parsed = parseLine(file, index + 1, line, index === 0);
		if (parsed) operations.push(parsed);
	});
	if (tail.length === 0) return { operations };
	const tailNumber = lines.length + 1;
	try {
		const parsed = parseLine(file, tailNumber, tail, lines.length === 0);
		if (parsed) operations.push(parsed);
		return { operations };
	} catch (error) {
		// The first line torn means the file never got started; nothing to recover from.
		if (lines.length === 0) throw error;
		return { operations, droppedTail: { line: tailNumber, bytes: Buffer.byteLength(tail) } };
	}
}

function parseLine(
	file: string,
	number: number,
	line: string,
	isHeader: boolean
): JournalOperation | undefined {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		throw new LocalHubStateError(file, number, 'not valid JSON');
	}
	if (isHeader) {
		if (!HeaderSchema.safeParse(value).success) {
			throw new LocalHubStateError(
				file,
				number,
				`not a local Hub journal (expected a first line like ${headerLine()})`
			);
		}
		return undefined;
	}
	const result = OperationSchema.safeParse(value);
	if (!result.success) {
		const issue = result.error.issues[0];
		const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
		throw new LocalHubStateError(
			file,
			number,
			`invalid journal entry (${where}${issue?.message ?? 'unknown'})`
		);
	}
	return result.data;
}

export interface ReplayedState {
	readonly sessions: Map<string, StoredSession>;
	readonly records: Map<string, LibraryRecord>;
}

/** Replays operations in order; later puts replace earlier ones. */
export function replay(operations: readonly JournalOperation[]): ReplayedState {
	const sessions = new Map<string, StoredSession>();
	const records = new Map<string, LibraryRecord>();
	for (const operation of operations) {
		if (operation.op === 'put') sessions.set(operation.session.id, operation.session);
		else if (operation.op === 'delete') sessions.delete(operation.id);
		else if (operation.op === 'putRecord')
			records.set(recordKey(operation.record.kind, operation.record.id), operation.record);
		else records.delete(recordKey(operation.kind, operation.id));
	}
	return { sessions, records };
}
