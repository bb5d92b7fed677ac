/**
 * How a stack marks the agents, workspaces, saved skills and skill buckets it owns: these
 * records have no metadata, so the last line of their `description` carries the marker
 * `[coder-sessions STACK/KEY]`. The spec's own `description` (if any) comes before it and is
 * compared without it. A record without the marker is not the tool's and is never touched.
 */
import type { Owner } from './kind.js';

const MARKER_LINE = /^\[coder-sessions ([^\s/\]]+)\/([^\s\]]+)\]$/;

export function markerLine(owner: Owner): string {
	return `[coder-sessions ${owner.stack}/${owner.key}]`;
}

/** The description a record is written with: the spec's text, then the marker on its own line. */
export function markedDescription(owner: Owner, text: string | undefined): string {
	const body = text?.trimEnd() ?? '';
	return body === '' ? markerLine(owner) : `${body}\n\n${markerLine(owner)}`;
}

/** The owner a description names, and the text before the marker. */
export function readMarker(description: string | undefined): {
	readonly owner?: Owner;
	readonly text: string;
} {
	const whole = description ?? '';
	const lines = whole.trimEnd().split('\n');
	const match = MARKER_LINE.exec(lines.at(-1)?.trim() ?? '');
	if (!match) return { text: whole };
	return {
		owner: { stack: match[1]!, key: match[2]! },
		text: lines.slice(0, -1).join('\n').trimEnd(),
	};
}
