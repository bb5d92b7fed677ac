/**
 * A template group in the markdown plan: a summary line, the details every action shares in one
 * diff block, and a table of what differs, one row per key.
 */
import { fenced } from '../core/untrusted/markdown.js';
import { plural, quote } from './format.js';
import { changedFields, detailLines } from './markdown-action.js';
import { escapeMarkdown } from './markdown-escape.js';
import { SYMBOL } from './messages.js';
import type { TemplateGroup } from './template-groups.js';

/** Open: the summary as a paragraph, the rest below it. Collapsed: a `<details>` block. */
export function groupBlock(group: TemplateGroup, open: boolean): string {
	const count = plural(group.actions.length, 'session');
	let summary = `<code>${escapeMarkdown(`${SYMBOL[group.kind]} ${group.kind}`)}</code> <b>${count}</b> from template <b>${escapeMarkdown(group.template)}</b>`;
	if (group.reason) summary += ` — ${escapeMarkdown(group.reason)}`;
	const fields = [...new Set(group.actions.flatMap(changedFields))];
	if (!open && fields.length > 0) summary += ` · changes ${escapeMarkdown(fields.join(', '))}`;
	const body = group.forced ? [`_${escapeMarkdown(group.forced)}._`] : [];
	const shared = group.shared.flatMap(detailLines);
	if (shared.length > 0) body.push(fenced(shared, 'diff'));
	body.push(keyTable(group));
	if (open) return [summary, ...body].join('\n\n');
	return [`<details><summary>${summary}</summary>`, ...body, '</details>'].join('\n\n');
}

/** Every key of the group, with its session (when there is one) and what differs. */
function keyTable(group: TemplateGroup): string {
	const live = group.kind !== 'create';
	const head = ['key', ...(live ? ['session'] : []), ...group.columns.map((c) => c.name)];
	const rows = group.actions.map((action, index) => [
		action.key,
		...(action.kind !== 'create' ? [`${action.live.id} ${quote(action.live.label)}`] : []),
		...group.columns.map((column) => column.cells[index] ?? ''),
	]);
	const line = (cells: readonly string[]): string =>
		`| ${cells.map((cell) => escapeMarkdown(cell)).join(' | ')} |`;
	return [line(head), `|${head.map(() => ' --- |').join('')}`, ...rows.map(line)].join('\n');
}
