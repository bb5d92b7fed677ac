import type { LiveSession } from '../kinds/session/live.js';

/** Metadata keys the tool owns on every session it manages (design.md section 3). */
export const MARKER = {
	stack: 'coder-sessions/stack',
	key: 'coder-sessions/key',
	applied: 'coder-sessions/applied',
	/** Env keys as applied: template digests and salted value hashes (written on create only). */
	appliedEnv: 'coder-sessions/applied-env',
	protect: 'coder-sessions/protect',
	/**
	 * The apply run that last wrote the session (a random id per run). A run tells its own
	 * sessions from those of another run that overlaps it by this marker.
	 */
	run: 'coder-sessions/run',
	/**
	 * The stack's search token (search-token.ts), written on every create, update and adopt: a
	 * search hit on it is a match in metadata whatever the stack's name.
	 */
	searchToken: 'coder-sessions/search-token',
} as const;

export { MARKER_PREFIX } from '../kinds/session/marker-prefix.js';

export function isProtected(live: LiveSession): boolean {
	return live.metadata[MARKER.protect] === 'true';
}
