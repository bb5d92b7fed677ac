/** Where fmt puts comments when keys move or mappings change style; yaml attaches them by position. */
import { isCollection, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';

/**
 * `key: # note` above a block mapping or list: yaml reads the note as the value's, and would print
 * it on a line of its own; it stays on the key's line.
 */
export function keepKeyLineComment(pair: Pair, text: string): void {
	const { key, value } = pair;
	if (!isCollection(value) || !value.commentBefore || !isScalar(key) || !key.range) return;
	const rest = text.slice(key.range[1]);
	const end = rest.indexOf('\n');
	if (!(end === -1 ? rest : rest.slice(0, end)).includes('#')) return;
	const [first, ...others] = value.commentBefore.split('\n');
	key.comment = joinComments(key.comment, first);
	value.commentBefore = others.length > 0 ? others.join('\n') : undefined;
}

/** `key: {a: 1} # note` written in block style: the note stays on the key's line. */
export function moveFlowComment(pair: Pair): void {
	const value = pair.value;
	if (!isCollection(value) || value.flow || !value.comment || !isScalar(pair.key)) return;
	pair.key.comment = joinComments(pair.key.comment, value.comment);
	value.comment = undefined;
}

export function joinComments(...comments: (string | null | undefined)[]): string {
	return comments.filter(Boolean).join('\n');
}

/** A comment above the file's first key heads the file, whichever key comes first now. */
export function moveLeadingComment(before: Pair[], after: Pair[]): void {
	const wasFirst = before[0]?.key as Node | undefined;
	const isFirst = after[0]?.key as Node | undefined;
	if (!wasFirst || !isFirst || wasFirst === isFirst || !isScalar(wasFirst)) return;
	if (!wasFirst.commentBefore || !isScalar(isFirst)) return;
	isFirst.commentBefore = joinComments(wasFirst.commentBefore, isFirst.commentBefore);
	wasFirst.commentBefore = undefined;
}

/** yaml keeps a comment above a nested mapping's first key on the mapping: it is that key's. */
export function keepFirstKeyComment(map: YAMLMap, first: unknown): void {
	if (!map.commentBefore || !isScalar(first) || map.items[0]?.key === first) return;
	first.commentBefore = joinComments(map.commentBefore, first.commentBefore);
	map.commentBefore = undefined;
}
