/** Metadata keys the tool owns on every session it manages (design.md section 3). */
export const MARKER = {
	stack: 'coder-sessions/stack',
	key: 'coder-sessions/key',
	applied: 'coder-sessions/applied',
	protect: 'coder-sessions/protect',
} as const;

export const MARKER_PREFIX = 'coder-sessions/';
