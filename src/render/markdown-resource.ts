/**
 * An action on another kind in the markdown plan, shown as a session's action: a summary line
 * and a diff block, open or collapsed; and, when the details do not fit, one line per action.
 */
import { codeText, fenced } from '../core/untrusted/markdown.js';
import { detailLines } from './markdown-action.js';
import { escapeMarkdown } from './markdown-escape.js';
import { plural } from './format.js';
import { dependsOnText, RESOURCE_SYMBOL, verbOf, type ResourceChange } from './resource-actions.js';
import { resourceDetails } from './resource-details.js';

const code = (text: string): string => `<code>${escapeMarkdown(text)}</code>`;

/** Open: the summary as a paragraph, the diff below it. Collapsed: a `<details>` block. */
export function resourceBlock(action: ResourceChange, open: boolean): string {
	let summary = `${code(`${RESOURCE_SYMBOL[action.kind]} ${verbOf(action)}`)} <b>${escapeMarkdown(action.qualifiedKey)}</b> (${escapeMarkdown(action.resource)})`;
	if (action.id !== undefined) summary += ` ${code(action.id)}`;
	if (action.keeps !== undefined) summary += ` (keeps ${code(action.keeps)})`;
	if (action.reason) summary += ` — ${escapeMarkdown(action.reason)}`;
	const fields = [...new Set((action.changes ?? []).map((change) => change.field))];
	if (!open && fields.length > 0) summary += ` · changes ${escapeMarkdown(fields.join(', '))}`;
	const depends = dependsOnText(action);
	const body = depends ? [`_${escapeMarkdown(depends)}._`] : [];
	const lines = resourceDetails(action).flatMap(detailLines);
	if (lines.length > 0) body.push(fenced(lines, 'diff'));
	if (open) return [summary, ...body].join('\n\n');
	return [`<details><summary>${summary}</summary>`, ...body, '</details>'].join('\n\n');
}

/**
 * `~ update and publish  agents.reviewer  agt_1`: one line each, in a fence. Stops once `room`
 * characters are used, and says how many it left out; undefined `room` names all.
 */
export function resourceListing(actions: readonly ResourceChange[], room = Infinity): string {
	const heads = actions.map(
		(action) => `${RESOURCE_SYMBOL[action.kind]} ${codeText(verbOf(action))}`
	);
	const width = Math.max(...heads.map((head) => head.length));
	const lines: string[] = [];
	let used = 60;
	for (const [index, action] of actions.entries()) {
		const id = action.id !== undefined ? `  ${codeText(action.id)}` : '';
		const line = `${(heads[index] ?? '').padEnd(width)}  ${codeText(action.qualifiedKey)} (${codeText(action.resource)})${id}`;
		used += line.length + 1;
		if (used > room) {
			lines.push(`… ${plural(actions.length - index, 'more action')} not named here`);
			break;
		}
		lines.push(line);
	}
	return fenced(lines, 'text');
}
