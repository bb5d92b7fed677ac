/**
 * Which kind an id belongs to, for the errors of `adopt:` and `import` when an id is given as
 * another kind's (a workspace id as a session's, a session id as an agent's): "not found" alone
 * sends the reader to check an id that is right. Pure.
 */
import { resourceRows, type AnyResourceKindRow, type KindTable } from './kind.js';

/** The kind that holds an id: its row's name and spec section. */
export interface IdKind {
	readonly name: string;
	readonly section: string;
	/** The row of a resource kind; absent for a session. */
	readonly row?: AnyResourceKindRow;
}

const SESSION_KIND: IdKind = { name: 'session', section: 'sessions' };

/** The kind of the live session or record with this id, or undefined when none has it. */
export function kindOfId(
	id: string,
	table: KindTable,
	sessions: readonly { readonly id: string }[],
	records: ReadonlyMap<string, readonly unknown[]>
): IdKind | undefined {
	if (sessions.some((session) => session.id === id)) return SESSION_KIND;
	for (const row of resourceRows(table)) {
		if ((records.get(row.name) ?? []).some((record) => row.idOf(record) === id))
			return { name: row.name, section: row.section, row };
	}
	return undefined;
}

/** What to run instead when `import` is given an id of another kind than it expected. */
export function importInstead(id: string, kind: IdKind, key = 'KEY'): string {
	return kind.row === undefined
		? `coder-sessions import ${id} --key ${key}`
		: `coder-sessions import ${kind.section}.${key}=${id}`;
}

/** An `a`/`an` phrase for a kind's name: "a workspace", "an agent". */
function withArticle(name: string): string {
	return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** "ws_1 is a workspace, not a session": the start of each such error. */
export function notOfKind(id: string, kind: IdKind, expected: string): string {
	return `${id} is ${withArticle(kind.name)}, not ${withArticle(expected)}`;
}
