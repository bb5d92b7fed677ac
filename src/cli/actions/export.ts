/** What `coder-sessions export` does when it runs (loaded then); commands/export.ts declares its flags and help. */
import type { ExportSelection } from '../../spec/export/index.js';
import { exportFiles, type Exported } from '../../operations/export.js';
import { ExitCode } from '../../core/exit-code.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import { parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { environmentOf, tableOf, type Io } from '../io.js';
import { inlineText } from '../../core/untrusted/text.js';
import { plural } from '../../render/format.js';

export interface ExportFlags extends HubFlags, ReadFlags {
	readonly stack?: string;
	readonly unmanaged?: boolean;
	readonly all?: boolean;
	readonly search?: string;
	readonly write?: string;
}

export async function runExport(flags: ExportFlags, io: Io): Promise<number> {
	const select: ExportSelection = flags.all ? 'all' : flags.unmanaged ? 'unmanaged' : 'stack';
	const exported = await exportFiles(
		{
			stack: flags.stack,
			select,
			...(flags.search !== undefined ? { search: flags.search } : {}),
			parallelism: parseReadFlags(flags).parallelism,
			target: parseHubFlags(flags),
			...(flags.write !== undefined ? { write: flags.write } : {}),
			...tableOf(io),
		},
		environmentOf(io)
	);
	return showExported(exported, flags.write, io);
}

/** The spec on stdout (or where it was written), notes and the count on stderr. */
function showExported({ stack, result, written }: Exported, write: string | undefined, io: Io) {
	for (const warning of result.warnings) io.err(`export: ${inlineText(warning)}`);
	const noun = result.count === 1 ? 'session' : 'sessions';
	const others = Object.entries(result.resources.counts).map(([kind, count]) =>
		plural(count, kind)
	);
	const what = [`${result.count} ${noun}`, ...others].join(', ');
	if (write === undefined) {
		io.out(result.text);
		io.err(`Exported ${what} for stack ${stack}.`);
	} else if (written === undefined) {
		io.err(`No sessions to export for stack ${stack}; ${write} left as it was.`);
	} else {
		io.err(`Wrote ${what} for stack ${stack} to ${written}.`);
	}
	return ExitCode.Ok;
}
