/** What `coder-sessions import` does when it runs (loaded then); commands/import.ts declares its flags and help. */
import { UserError } from '../../core/errors.js';
import { runToTheEndWhenOutputCloses } from '../closed-pipe.js';
import { ExitCode } from '../../core/exit-code.js';
import { importThen } from '../../operations/import.js';
import { renderPlan } from '../../operations/render-plan.js';
import { carryOutInTerminal } from '../applying.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import { parseOutputFlags, type OutputFlags } from '../flags/output.js';
import { parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { environmentOf, tableOf, type Io } from '../io.js';
import { BUILT_IN_KINDS } from '../../kinds/table.js';
import {
	importRecordsThen,
	recordImports,
	type RecordImport,
} from '../../operations/import-records.js';
import { parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';

export interface ImportFlags extends HubFlags, SpecFlags, ReadFlags, OutputFlags {
	readonly key?: string;
	readonly takeOver?: boolean;
	readonly autoApprove?: boolean;
	/** `--write [FILE]`: true without a file (the spec's own file). */
	readonly write?: string | true;
}

export async function runImport(
	ids: readonly string[],
	flags: ImportFlags,
	io: Io
): Promise<number> {
	runToTheEndWhenOutputCloses();
	const records = recordImports(io.table ?? BUILT_IN_KINDS, ids);
	if (records) return runImportRecords(records, flags, io);
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
					`import adopts sessions as they are, but ${imported.replaced.map((each) => each.key).join(', ')} would be replaced (a create-time field differs from the spec): make the entry match the session, or write ${imported.replaced.map((each) => `adopt: ${each.id}`).join(', ')} in it and review the replace with plan`
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

/** `import agents.reviewer=ID`: records of other kinds, taken over as sessions are. */
async function runImportRecords(
	records: readonly RecordImport[],
	flags: ImportFlags,
	io: Io
): Promise<number> {
	if (flags.key !== undefined)
		throw new UserError('--key names a session entry: a record is named as SECTION.KEY=ID');
	const { parallelism } = parseReadFlags(flags);
	const { color } = parseOutputFlags(flags, io, ['text']);
	const request = {
		files: parseSpecFlags(flags).files,
		target: parseHubFlags(flags),
		...tableOf(io),
		...(flags.write !== undefined ? { write: flags.write } : {}),
		onWritten: (entries: number, file: string) =>
			io.err(`Wrote ${entries} ${entries === 1 ? 'entry' : 'entries'} to ${file}.`),
	};
	return importRecordsThen(
		records,
		request,
		withSpecVars(environmentOf(io), flags),
		async (imported, spec, connected) => {
			if (imported.status === 'nothing') return ExitCode.Ok;
			if (imported.status === 'missing-entries') {
				io.out(imported.sections.map((each) => each.text).join(''));
				const these = imported.entries === 1 ? 'this entry' : 'these entries';
				const sections = imported.sections.map((each) => `${each.section}:`).join(', ');
				throw new UserError(
					`${spec.files.join(', ')} lacks the entry to import into: add ${these} (printed above) under ${sections}, then run import again (or give --write)`
				);
			}
			io.out(renderPlan(imported.planned, { color }));
			if (imported.replaced.length > 0) {
				throw new UserError(
					`import adopts records as they are, but ${imported.replaced.join(', ')} would be replaced (a create-time field differs from the spec); make the entry match the record, or review the replace with plan`
				);
			}
			return carryOutInTerminal(imported.planned, connected.hub, io, {
				autoApprove: flags.autoApprove === true,
				parallelism,
				color,
				...tableOf(io),
			});
		}
	);
}
