import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-code.js';
import { connectHub, type HubTarget } from '../../operations/connect.js';
import { checkImportKey, planImport } from '../../operations/import.js';
import { loadSpecOrFail } from '../../operations/planning.js';
import { renderPlan } from '../../operations/render-plan.js';
import { carryOut } from '../applying.js';
import { addHubOptions } from '../hub-options.js';
import { environmentOf, type Io } from '../io.js';
import { colorOption, parallelismOption, parseParallelism, useColor } from '../options.js';
import type { CommandHost } from '../run.js';
import { specFileOption, type SpecFileFlags } from '../spec-option.js';
import { writeEntries, writeTarget } from '../../operations/write-entries.js';
import type { Spec } from '../../kinds/session/desired.js';

export interface ImportFlags extends HubTarget, SpecFileFlags {
	readonly key?: string;
	readonly takeOver?: boolean;
	readonly autoApprove?: boolean;
	readonly parallelism?: string;
	readonly color?: boolean;
	/** `--write [FILE]`: true without a file (the spec's own file). */
	readonly write?: string | true;
}

export function registerImport(program: Command, host: CommandHost): void {
	const command = program
		.command('import')
		.argument('<session-id...>', "sessions to adopt into the spec's stack")
		.description("Adopt existing sessions into the spec's stack: write their ownership markers")
		.addOption(specFileOption())
		.option('--key <key>', 'the spec entry the session becomes (one session only)')
		.option('--take-over', 'adopt sessions that belong to another stack')
		.option('--auto-approve', 'apply without asking for `yes` (needed without a terminal)')
		.addOption(parallelismOption('Hub calls'))
		.option(
			'--write [file]',
			'when the spec lacks an entry, add it at the end of sessions: in the spec file (or FILE), keeping comments, then import'
		)
		.addOption(colorOption('output'))
		.addHelpText(
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
	addHubOptions(command).action(async (ids: string[], flags: ImportFlags) => {
		await host.run((io) => runImport(ids, flags, io));
	});
}

export async function runImport(
	ids: readonly string[],
	flags: ImportFlags,
	io: Io
): Promise<number> {
	checkImportKey(flags.key, new Set(ids).size);
	const parallelism = parseParallelism(flags.parallelism);
	const environment = environmentOf(io);
	let spec = await loadSpecOrFail(flags.file ?? [], environment);
	const target = flags.write !== undefined ? writeTarget(flags.write, spec.files) : undefined;
	const connected = await connectHub(flags, environment);
	try {
		const importInto = (into: Spec) =>
			planImport(ids, into, connected, environment, {
				...(flags.key !== undefined ? { key: flags.key } : {}),
				takeOver: flags.takeOver === true,
				parallelism,
			});
		let imported = await importInto(spec);
		if (imported.status === 'missing-entries' && target !== undefined) {
			await writeEntries(target, io.cwd, imported.snippets.join('\n'), spec.stack);
			const noun = imported.snippets.length === 1 ? 'entry' : 'entries';
			io.err(`Wrote ${imported.snippets.length} ${noun} to ${target}.`);
			const files = spec.files.includes(target) ? spec.files : [...spec.files, target];
			spec = await loadSpecOrFail(files, environment);
			imported = await importInto(spec);
		}
		if (imported.status === 'nothing') return ExitCode.Ok;
		if (imported.status === 'missing-entries') {
			io.out(['sessions:', ...imported.snippets].join('\n'));
			const these = imported.snippets.length === 1 ? 'this entry' : 'these entries';
			throw new UserError(
				`${spec.files.join(', ')} lacks the entry to import into: add ${these} (printed above) under sessions:, then run import again`
			);
		}
		const color = useColor(io, flags.color);
		io.out(renderPlan(imported.planned, { color }));
		if (imported.replaced.length > 0) {
			throw new UserError(
				`import adopts sessions as they are, but ${imported.replaced.join(', ')} would be replaced (a create-time field differs from the spec); make the entry match the session, or review the replace with plan`
			);
		}
		return await carryOut(imported.planned, connected.hub, io, {
			autoApprove: flags.autoApprove === true,
			parallelism,
			color,
		});
	} finally {
		await connected.close();
	}
}
