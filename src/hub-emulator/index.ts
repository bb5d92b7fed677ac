export { startLocalHub, DEFAULT_ORG } from './server.js';
export { LocalHubStateError, LocalHubStartError } from './errors.js';
export { LocalGithubAccountsSchema } from './options.js';
export type { LocalGithubAccount, LocalGithubRepo, LocalHub, LocalHubOptions } from './types.js';
export { makePrivateDirectory } from './file-modes.js';
export { LocalFixturesSchema, type LocalFixtures, type LocalFixturesInput } from './fixtures.js';
export { SESSION_STATUSES, type SessionStatus } from './session-record.js';
