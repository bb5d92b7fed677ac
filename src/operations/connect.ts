/** Opening the Hub a target names: a URL, the SDK's own discovery, or an embedded local Hub. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { connect } from '../hub/client.js';
import {
	keyInClearWarning,
	requestTimeoutOf,
	resolveConnection,
	type HubFlags,
} from '../hub/connection.js';
import { routeHubRequests } from '../hub/hub-fetch.js';
import { proxyName, proxyTakenBy } from '../hub/proxy.js';
import { assertReachable } from '../hub/reachable.js';
import type { HubWriter } from '../hub/types.js';
import { warn, type Environment } from './environment.js';
import { LOCAL_HUB_STATE } from './local-hub-state.js';

/**
 * Which Hub: `url` (else AGENTUITY_CODER_URL, else discovered from `region` with
 * AGENTUITY_SDK_KEY), or `local`: an embedded local Hub over `.coder-sessions/local-hub.json`.
 */
export type HubTarget = HubFlags;

export { LOCAL_HUB_STATE };

export interface ConnectedHub {
	readonly hub: HubWriter;
	/** Where the Hub is, for messages and saved plans; never a credential. */
	readonly target: {
		readonly url?: string;
		readonly org?: string;
		readonly local: boolean;
		/** The region the SDK discovers the Hub in, when no URL names it. */
		readonly region?: string;
	};
	/** Set when the repo check cannot be made against this Hub: the note to print instead. */
	readonly repoCheckSkipped?: string;
	/** Set when the reference check cannot be made against this Hub: the note to print instead. */
	readonly referenceCheckSkipped?: string;
	close(): Promise<void>;
}

export const NO_LOCAL_GITHUB_FIXTURE =
	'repo check skipped: the local Hub has no GitHub fixture (.coder-sessions/github-repos.yaml; see hub serve --github-repos)';

/** `fixtureFile`: where `--local` looks for the library fixture first. */
export const noLocalHubFixtures = (fixtureFile: string) =>
	`reference check skipped: the local Hub has no library fixture (${fixtureFile}; see hub serve --fixtures), and refuses to create sessions naming records it does not hold`;

/** Fails fast, with a message that says why, when the Hub cannot be reached at all. */
export async function connectHub(
	target: HubTarget,
	environment: Environment
): Promise<ConnectedHub> {
	if (target.local) {
		// The embedded Hub listens on this machine: never through a proxy.
		await routeHubRequests(undefined, undefined);
		return openLocalHub(target, environment);
	}
	const connection = resolveConnection(target, environment.env);
	const inClear = keyInClearWarning(connection);
	if (inClear) warn(environment, inClear);
	await routeHubRequests(environment.env, connection.url);
	if (connection.url) await assertReachable(connection.url, proxyNamed(connection.url));
	return {
		hub: connect(connection),
		target: {
			url: connection.url,
			org: connection.orgId,
			local: false,
			...(!connection.url && connection.region ? { region: connection.region } : {}),
		},
		close: async () => {},
	};
}

function proxyNamed(url: string): { name: string; url: URL } | undefined {
	const proxy = proxyTakenBy(url);
	return proxy && { name: proxyName(proxy), url: proxy.url };
}

async function openLocalHub(target: HubTarget, environment: Environment): Promise<ConnectedHub> {
	// The local Hub (and the SDK's schemas it serves by) loads only for `--local`.
	const [{ makePrivateDirectory, startLocalHub }, { findLocalGithubFixture }, hubFixtures] =
		await Promise.all([
			import('../hub-emulator/index.js'),
			import('../hub-emulator/github-fixture.js'),
			import('../hub-emulator/hub-fixtures.js'),
		]);
	const requestTimeoutMs = requestTimeoutOf(target, environment.env);
	const stateFile = resolve(environment.cwd, LOCAL_HUB_STATE);
	const elsewhere = existsSync(stateFile) ? undefined : localHubAbove(environment.cwd);
	if (elsewhere) {
		warn(
			environment,
			`note: this folder (${environment.cwd}) has no local Hub, so an empty one is started over ${stateFile}; a folder above has one (${elsewhere}): run from there to use it`
		);
	}
	// Owner-only: the state holds every session's task and metadata.
	await makePrivateDirectory(dirname(stateFile), { tightenExisting: true }).catch(
		(error: Error) => {
			throw new UserError(
				`cannot use ${dirname(stateFile)} for the local Hub's state: ${error.message}`
			);
		}
	);
	const github = await findLocalGithubFixture(environment.cwd);
	const fixtures = await hubFixtures.findLocalHubFixtures(environment.cwd);
	const local = await startLocalHub({
		stateFile,
		...(github ? { githubRepos: github.accounts } : {}),
		...(fixtures ? { fixtures } : {}),
		onWarning: (message) => warn(environment, message),
	});
	return {
		hub: connect({
			url: local.url,
			orgId: target.org,
			requestTimeoutMs,
		}),
		target: { local: true, org: target.org },
		...(github ? {} : { repoCheckSkipped: NO_LOCAL_GITHUB_FIXTURE }),
		...(fixtures
			? {}
			: { referenceCheckSkipped: noLocalHubFixtures(hubFixtures.LOCAL_HUB_FIXTURES[0]) }),
		close: () => local.close(),
	};
}

/**
 * The state file of a local Hub in a folder above `cwd`, if any: where `--local` run from a
 * subdirectory of the repository would have found the Hub the user has been working with.
 */
function localHubAbove(cwd: string): string | undefined {
	for (let folder = dirname(cwd); ; folder = dirname(folder)) {
		const candidate = resolve(folder, LOCAL_HUB_STATE);
		if (existsSync(candidate)) return candidate;
		if (dirname(folder) === folder) return undefined;
	}
}
