/**
 * A list named in a message, `max` items at most, the rest counted (`a, b and 3 more`): a spec
 * of thousands of entries, or a folder of thousands of files, keeps its note to a line, and the
 * pull-request comment that carries it within its limit. `unit` names what is counted (`files`).
 */
export function fewOf(
	items: readonly string[],
	max: number,
	unit?: { readonly one: string; readonly many: string }
): string {
	const named = items.slice(0, max).join(', ');
	const more = items.length - max;
	if (more <= 0) return named;
	const counted = unit ? ` ${more === 1 ? unit.one : unit.many}` : '';
	return `${named} and ${more} more${counted}`;
}
