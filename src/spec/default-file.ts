/** The spec file a command reads when -f names none. */
export const DEFAULT_SPEC_FILE = 'sessions.yaml';
