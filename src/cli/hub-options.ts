/** The Hub flags every Hub command shares, and opening the Hub they name. */
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UserError } from '../errors.js';
import { connect } from '../hub-client/client.js';
import { resolveConnection, type HubFlags } from '../hub-client/connection.js';
import { assertReachable } from '../hub-client/reachable.js';
import type { HubWriter } from '../hub-client/types.js';
import { makePrivateDirectory, startLocalHub } from '../hub-emulator/index.js';
import { findLocalGithubFixture } from '../hub-emulator/github-fixture.js';
import type { Io } from './io.js';

export const LOCAL_HUB_STATE = '.coder-sessions/local-hub.json';

export function addHubOptions(command: Command): Command {
	return command
		.addOption(
			new Option(
				'--local',
				`use an embedded local Hub over ${LOCAL_HUB_STATE} (no account needed)`
			).conflicts(['url', 'region'])
		)
		.option(
			'--url <url>',
			'Hub root URL (default: $AGENTUITY_CODER_URL, else discovered from the region)'
		)
		.option('--org <org>', 'organization id sent as x-agentuity-orgid')
		.option(
			'--region <region>',
			'region used to discover the Hub (default: $AGENTUITY_REGION or usc)'
		);
}

export interface OpenHub {
	readonly hub: HubWriter;
	/** Where the Hub is, for messages and saved plans; never a credential. */
	readonly target: { readonly url?: string; readonly org?: string; readonly local: boolean };
	/** Set when the repo check cannot be made against this Hub: the note to print instead. */
	readonly repoCheckSkipped?: string;
	close(): Promise<void>;
}

export const NO_LOCAL_GITHUB_FIXTURE =
	'repo check skipped: the local Hub has no GitHub fixture (.coder-sessions/github-repos.yaml; see hub serve --github-repos)';

export async function openHub(flags: HubFlags, io: Io): Promise<OpenHub> {
	if (flags.local) {
		const stateFile = resolve(io.cwd, LOCAL_HUB_STATE);
		// Owner-only: the state holds every session's task and metadata.
		await makePrivateDirectory(dirname(stateFile), { tightenExisting: true }).catch(
			(error: Error) => {
				throw new UserError(
					`cannot use ${dirname(stateFile)} for the local Hub's state: ${error.message}`
				);
			}
		);
		const github = await findLocalGithubFixture(io.cwd);
		const local = await startLocalHub({
			stateFile,
			...(github ? { githubRepos: github.accounts } : {}),
			onWarning: (message) => io.err(message),
		});
		return {
			hub: connect({ url: local.url, orgId: flags.org }),
			target: { local: true, org: flags.org },
			...(github ? {} : { repoCheckSkipped: NO_LOCAL_GITHUB_FIXTURE }),
			close: () => local.close(),
		};
	}
	const connection = resolveConnection(flags, io.env);
	if (connection.url) await assertReachable(connection.url);
	return {
		hub: connect(connection),
		target: { url: connection.url, org: connection.orgId, local: false },
		close: async () => {},
	};
}
