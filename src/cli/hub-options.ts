/** The Hub flags every Hub command shares. */
import { Option, type Command } from 'commander';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../hub/deadline.js';
import { LOCAL_HUB_STATE } from '../operations/connect.js';

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
		)
		.option(
			'--request-timeout <seconds>',
			`seconds one Hub request may go unanswered before the Hub counts as stopped (default: $CODER_SESSIONS_REQUEST_TIMEOUT or ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})`
		);
}
