/**
 * How a stack marks the agents, workspaces, saved skills and skill buckets it owns: these
 * records have no metadata, so the last line of their `description` carries the marker
 * `[coder-sessions STACK/KEY]` (`[coder-sessions STACK/KEY protect]` for an entry with
 * `protect: true`). The spec's own `description` (if any) comes before it and is compared
 * without it. A record without the marker is not the tool's and is never touched.
 */
import type { Owner } from './kind.js';

const MARKER_LINE = /^\[coder-sessions ([^\s/\]]+)\/([^\s\]]+)( protect)?\]$/;

export interface MarkerOptions {
	/** The record is never deleted or replaced by a plan (`protect: true` on its entry). */
	readonly protect?: boolean;
}

export function markerLine(owner: Owner, options: MarkerOptions = {}): string {
	const protect = options.protect ?? owner.protect;
	return `[coder-sessions ${owner.stack}/${owner.key}${protect ? ' protect' : ''}]`;
}

/** The description a record is written with: the spec's text, then the marker on its own line. */
export function markedDescription(
	owner: Owner,
	text: string | undefined,
	options: MarkerOptions = {}
): string {
	const body = text?.trimEnd() ?? '';
	const line = markerLine(owner, options);
	return body === '' ? line : `${body}\n\n${line}`;
}

/** The owner a description names (with `protect` when the marker says so), and the text before it. */
export function readMarker(description: string | undefined): {
	readonly owner?: Owner;
	readonly protect?: boolean;
	readonly text: string;
} {
	const whole = description ?? '';
	const lines = whole.trimEnd().split('\n');
	const match = MARKER_LINE.exec(lines.at(-1)?.trim() ?? '');
	if (!match) return { text: whole };
	const protect = match[3] !== undefined;
	return {
		owner: { stack: match[1]!, key: match[2]!, ...(protect ? { protect } : {}) },
		...(protect ? { protect } : {}),
		text: lines.slice(0, -1).join('\n').trimEnd(),
	};
}
