import type { Command } from 'commander';
import { envValueHashesFor } from '../../env/resolve.js';
import { UserError } from '../../errors.js';
import {
	findImportSessions,
	importEntryKeys,
	specWithAdoptions,
} from '../../export/import-entries.js';
import { readOnly } from '../../hub-client/client.js';
import { planSessions } from '../../plan/diff.js';
import { MARKER } from '../../ownership/markers.js';
import { SESSION_KEY_PATTERN } from '../../spec/schema.js';
import { ExitCode } from '../../exit-code.js';
import { addHubOptions, openHub } from '../hub-options.js';
import { colorOption, parallelismOption, parseParallelism, useColor } from '../options.js';
import { processIo, type Io } from '../io.js';
import { loadSpecOrFail, render } from '../planning.js';
import { exitWith, runCommand } from '../run.js';
import { carryOut } from '../carry-out.js';
import { specFileOption, type SpecFileFlags } from '../spec-option.js';
import type { HubFlags } from '../../hub-client/connection.js';

export interface ImportFlags extends HubFlags, SpecFileFlags {
	readonly key?: string;
	readonly takeOver?: boolean;
	readonly autoApprove?: boolean;
	readonly parallelism?: string;
	readonly color?: boolean;
}

export function registerImport(program: Command): void {
	const command = program
		.command('import')
		.argument('<session-id...>', "sessions to adopt into the spec's stack")
		.description("Adopt existing sessions into the spec's stack: write their ownership markers")
		.addOption(specFileOption())
		.option('--key <key>', 'the spec entry the session becomes (one session only)')
		.option('--take-over', 'adopt sessions that belong to another stack')
		.option('--auto-approve', 'apply without asking for `yes` (needed without a terminal)')
		.addOption(parallelismOption('Hub calls'))
		.addOption(colorOption('output'))
		.addHelpText(
			'after',
			`
Like terraform import, the spec must declare the entry: the one named by --key, else the one
whose adopt: is the session id, else the key derived from the session's label (as export
derives it). When the spec lacks it, the entry to add is printed and nothing changes.`
		);
	addHubOptions(command).action(async (ids: string[], flags: ImportFlags) => {
		const io = processIo();
		exitWith(await runCommand(io, () => runImport(ids, flags, io)));
	});
}

export async function runImport(
	ids: readonly string[],
	flags: ImportFlags,
	io: Io
): Promise<number> {
	const unique = [...new Set(ids)];
	if (flags.key !== undefined && unique.length !== 1) {
		throw new UserError(
			'--key names the entry of one session: give exactly one SESSION_ID with it'
		);
	}
	if (flags.key !== undefined && !SESSION_KEY_PATTERN.test(flags.key)) {
		throw new UserError(
			`invalid --key "${flags.key}": use lowercase letters, digits, dots, dashes and underscores`
		);
	}
	const parallelism = parseParallelism(flags.parallelism);
	const spec = await loadSpecOrFail(flags.file ?? [], io);
	const opened = await openHub(flags, io);
	try {
		const reader = readOnly(opened.hub);
		const live = await reader.readLiveSessions({ parallelism });
		const pending = findImportSessions(unique, live).filter((session) => {
			const key =
				session.metadata[MARKER.stack] === spec.stack ? session.metadata[MARKER.key] : undefined;
			if (key !== undefined)
				io.err(
					`${session.id} is managed by stack ${spec.stack} already, as ${key}; nothing to import.`
				);
			return key === undefined;
		});
		if (pending.length === 0) return ExitCode.Ok;
		const { keys, snippets } = importEntryKeys(spec, live, pending, flags.key);
		if (snippets.length > 0) {
			io.out(['sessions:', ...snippets].join('\n'));
			const these = snippets.length === 1 ? 'this entry' : 'these entries';
			throw new UserError(
				`${spec.files.join(', ')} lacks the entry to import into: add ${these} (printed above) under sessions:, then run import again`
			);
		}
		const adopting = specWithAdoptions(spec, live, keys);
		const envValueHashesBySession = await envValueHashesFor(adopting, live, io.env);
		const only = [...keys.values()];
		const plan = planSessions(adopting, live, {
			only,
			envValueHashesBySession,
			takeOver: flags.takeOver === true,
		});
		const color = useColor(io, flags.color);
		io.out(render('text', plan, { files: spec.files, hubCalls: reader.calls }, color));
		const replaced = plan.actions
			.filter((action) => action.kind === 'replace')
			.map((action) => action.key);
		if (replaced.length > 0) {
			throw new UserError(
				`import adopts sessions as they are, but ${replaced.join(', ')} would be replaced (a create-time field differs from the spec); make the entry match the session, or review the replace with plan`
			);
		}
		return await carryOut(plan, opened, io, {
			autoApprove: flags.autoApprove === true,
			parallelism,
			allowRemovals: undefined,
			color,
			confirm: true,
			baseline: live,
		});
	} finally {
		await opened.close();
	}
}
