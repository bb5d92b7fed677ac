/** The prefix of the metadata keys coder-sessions writes itself; the spec may not set them. */
export const MARKER_PREFIX = 'coder-sessions/';
