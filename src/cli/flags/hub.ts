/** The hub group: which Hub a command talks to (--local, --url, --org, --region) and how long it waits. */
import { Option, type Command } from 'commander';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../hub/deadline.js';
import type { HubTarget } from '../../operations/connect.js';
import { LOCAL_HUB_STATE } from '../../operations/local-hub-state.js';

/** As commander parses them; `--request-timeout` is checked with its environment variable. */
export type HubFlags = HubTarget;

export function addHubFlags(command: Command): Command {
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
		)
		.option(
			'--request-timeout <seconds>',
			`seconds one Hub request may go unanswered before the Hub counts as stopped (default: $CODER_SESSIONS_REQUEST_TIMEOUT or ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})`
		);
}

/** The Hub the flags name, and nothing else of the command's flags. */
export function parseHubFlags(flags: HubFlags): HubTarget {
	const { local, url, org, region, requestTimeout } = flags;
	return {
		...(local !== undefined ? { local } : {}),
		...(url !== undefined ? { url } : {}),
		...(org !== undefined ? { org } : {}),
		...(region !== undefined ? { region } : {}),
		...(requestTimeout !== undefined ? { requestTimeout } : {}),
	};
}
