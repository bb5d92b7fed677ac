import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-code.js';
import { importThen } from '../../operations/import.js';
import { renderPlan } from '../../operations/render-plan.js';
import { carryOutInTerminal } from '../applying.js';
import { addHubFlags, parseHubFlags, type HubFlags } from '../flags/hub.js';
import { addOutputFlags, parseOutputFlags, type OutputFlags } from '../flags/output.js';
import { addReadFlags, parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { environmentOf, type Io } from '../io.js';
import type { CommandHost } from '../run.js';
import { addSpecFlags, parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';

export interface ImportFlags extends HubFlags, SpecFlags, ReadFlags, OutputFlags {
	readonly key?: string;
	readonly takeOver?: boolean;
	readonly autoApprove?: boolean;
	/** `--write [FILE]`: true without a file (the spec's own file). */
	readonly write?: string | true;
}

export function registerImport(program: Command, host: CommandHost): void {
	const command = program
		.command('import')
		.argument('<session-id...>', "sessions to adopt into the spec's stack")
		.description("Adopt existing sessions into the spec's stack: write their ownership markers");
	addSpecFlags(command)
		.option('--key <key>', 'the spec entry the session becomes (one session only)')
		.option('--take-over', 'adopt sessions that belong to another stack')
		.option('--auto-approve', 'apply without asking for `yes` (needed without a terminal)')
		.option(
			'--write [file]',
			'when the spec lacks an entry, add it at the end of sessions: in the spec file (or FILE), keeping comments, then import'
		);
	addReadFlags(command, 'Hub calls', { discovery: false });
	addOutputFlags(command, { color: 'output' }).addHelpText(
		'after',
		`
Like terraform import, the spec must declare the entry: the one named by --key, else the one
whose adopt: is the session id, else the key derived from the session's label (as export
derives it). When the spec lacks it, the entry to add is printed and nothing changes; with
--write, it is added to the spec file (or FILE) and the import goes on.

Examples:
  coder-sessions import codesess_1a2b3c --write
  coder-sessions import codesess_1a2b3c --key review-bot --write sessions.d/imported.yaml`
	);
	addHubFlags(command).action(async (ids: string[], flags: ImportFlags) => {
		await host.run((io) => runImport(ids, flags, io));
	});
}

export async function runImport(
	ids: readonly string[],
	flags: ImportFlags,
	io: Io
): Promise<number> {
	const { parallelism } = parseReadFlags(flags);
	const { color } = parseOutputFlags(flags, io, ['text']);
	const request = {
		files: parseSpecFlags(flags).files,
		target: parseHubFlags(flags),
		...(flags.key !== undefined ? { key: flags.key } : {}),
		takeOver: flags.takeOver === true,
		parallelism,
		...(flags.write !== undefined ? { write: flags.write } : {}),
		onWritten: (entries: number, file: string) =>
			io.err(`Wrote ${entries} ${entries === 1 ? 'entry' : 'entries'} to ${file}.`),
	};
	return importThen(
		ids,
		request,
		withSpecVars(environmentOf(io), flags),
		async (imported, spec, connected) => {
			if (imported.status === 'nothing') return ExitCode.Ok;
			if (imported.status === 'missing-entries') {
				io.out(['sessions:', ...imported.snippets].join('\n'));
				const these = imported.snippets.length === 1 ? 'this entry' : 'these entries';
				throw new UserError(
					`${spec.files.join(', ')} lacks the entry to import into: add ${these} (printed above) under sessions:, then run import again`
				);
			}
			io.out(renderPlan(imported.planned, { color }));
			if (imported.replaced.length > 0) {
				throw new UserError(
					`import adopts sessions as they are, but ${imported.replaced.join(', ')} would be replaced (a create-time field differs from the spec); make the entry match the session, or review the replace with plan`
				);
			}
			return carryOutInTerminal(imported.planned, connected.hub, io, {
				autoApprove: flags.autoApprove === true,
				parallelism,
				color,
			});
		}
	);
}
