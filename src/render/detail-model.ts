/** The detail lines renderers format, and helpers both kinds of detail (created, changed) share. */
import { MARKER_PREFIX } from '../ownership/markers.js';
import type { Json } from '../plan/types.js';
import type { DiffLine } from './text-diff.js';

/** Lines of a created session's task shown before the rest is counted. */
export const CREATE_TASK_LINES = 10;

export type Detail =
	/** `+` set (before absent), `-` removed (after absent), `~` changed from before to after. */
	| {
			readonly type: 'value';
			readonly sign: '+' | '-' | '~';
			readonly path: string;
			readonly before?: string;
			readonly after?: string;
			readonly note?: string;
			/** What made a reference change although its keys did not: `skillBucket docs-kit is replaced`. */
			readonly because?: string;
	  }
	| {
			readonly type: 'set';
			readonly path: string;
			readonly added: string[];
			readonly removed: string[];
			readonly because?: string;
	  }
	| {
			readonly type: 'lines';
			readonly sign: '+' | '~';
			readonly path: string;
			readonly lines: readonly DiffLine[];
			readonly note?: string;
			readonly because?: string;
	  }
	/** A sensitive value: only its key and what happens to it. */
	| {
			readonly type: 'masked';
			readonly sign: '+' | '-' | '~';
			readonly path: string;
			readonly text: string;
	  };

export function record(value: Json | undefined): Record<string, Json> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, Json>)
		: {};
}

/** The tool's own markers are bookkeeping; protect has its own field. */
export const visibleKey = (key: string): boolean => !key.startsWith(MARKER_PREFIX);
