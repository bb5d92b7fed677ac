/** The Hub flags every Hub command shares. */
import { Option, type Command } from 'commander';
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
		);
}
