import { Option, type Command } from 'commander';
import { outsideChangesHelp } from '../../drift/help.js';
import { detectDrift, hasOutsideDrift } from '../../drift/report.js';
import { renderDriftText, toDriftJson } from '../../drift/render.js';
import { readOnly } from '../../hub-client/client.js';
import { createStyle } from '../../render/style.js';
import { ExitCode } from '../exit.js';
import { addHubOptions, openHub, parseParallelism } from '../hub-options.js';
import { processIo, type Io } from '../io.js';
import { loadSpecOrFail, useColor } from '../planning.js';
import { exitWith, runCommand } from '../run.js';
import { specFileOption, type SpecFileFlags } from '../spec-option.js';
import type { HubFlags } from '../../hub-client/connection.js';
import type { DiscoveryMode } from '../../discovery/types.js';
import { discoverWithProgress, discoveryOption } from '../discovery-option.js';

export interface DriftFlags extends HubFlags, SpecFileFlags {
	readonly format?: 'text' | 'json';
	readonly parallelism?: string;
	readonly discovery?: DiscoveryMode;
	readonly color?: boolean;
}

export function registerDrift(program: Command): void {
	const command = program
		.command('drift')
		.description(
			'Compare live sessions with what coder-sessions last applied; exit 6 when they were changed outside it (reads only)'
		)
		.addOption(specFileOption())
		.addOption(
			new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')
		)
		.option('--parallelism <n>', 'Hub reads at once (default: 8)')
		.addOption(discoveryOption())
		.option('--no-color', 'no colour in text output (also: NO_COLOR)')
		.addHelpText(
			'after',
			`
Every session apply writes carries coder-sessions/applied: a digest per field of what it wrote.
drift reads each active session of the stack against that stamp and reports two groups:

  Changed outside coder-sessions   ${outsideChangesHelp(35)}
  Spec changes not yet applied     the spec differs from what was last applied (including
                                   entries to create, adopt, archive or prune).

Sessions with no stamp are listed as never applied by coder-sessions. Fields under
ignoreChanges are left out. Env is compared by key and template only: values are never read.

Exit codes:
  0  no session was changed outside coder-sessions (pending spec changes alone exit 0:
     gate on those with \`plan --detailed-exitcode\`, which exits 2)
  1  error (bad spec, bad flags, Hub error)
  6  at least one session was changed outside coder-sessions

Examples:
  coder-sessions drift --local -f examples/sessions.yaml
  coder-sessions drift --format json | jq '.sessions[] | select(.outside != [])'`
		);
	addHubOptions(command).action(async (flags: DriftFlags) => {
		const io = processIo();
		exitWith(await runCommand(io, () => runDrift(flags, io)));
	});
}

export async function runDrift(flags: DriftFlags, io: Io): Promise<number> {
	const parallelism = parseParallelism(flags.parallelism);
	const spec = await loadSpecOrFail(flags.file ?? [], io);
	const opened = await openHub(flags, io);
	try {
		const { live } = await discoverWithProgress(readOnly(opened.hub), io, {
			stack: spec.stack,
			mode: flags.discovery,
			parallelism,
			needsArchived: () => false,
		});
		const report = detectDrift(spec, live);
		if (flags.format === 'json') io.out(JSON.stringify(toDriftJson(report), null, 2));
		else io.out(renderDriftText(report, createStyle(useColor(io, flags.color))));
		return hasOutsideDrift(report) ? ExitCode.Drift : ExitCode.Ok;
	} finally {
		await opened.close();
	}
}
