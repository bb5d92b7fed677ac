/** `--discovery auto|search|full`: how plan, apply, status and drift find the stack's sessions. */
import { Option } from 'commander';
import { DISCOVERY_MODES } from '../hub/discovery/types.js';

export function discoveryOption(): Option {
	return new Option(
		'--discovery <mode>',
		"how to find the stack's sessions: auto (search when it is verified, else read all), search (verified search or fail), full (read every session)"
	)
		.choices(DISCOVERY_MODES)
		.default('auto');
}
