import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { DEFAULT_SPEC_FILE, renderSpecErrors } from '../../spec/index.js';
import { registerSecrets } from '../../core/secrets/redact.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-code.js';
import { formatFiles, literalEnvValues, type FormattedFile } from '../../operations/fmt-files.js';
import type { Io } from '../io.js';
import type { CommandHost } from '../run.js';
import { collect, type SpecFlags } from '../flags/spec.js';
import { messageText } from '../../core/untrusted/text.js';

export interface FmtFlags extends Pick<SpecFlags, 'file'> {
	readonly check?: boolean;
	readonly diff?: boolean;
}

export function registerFmt(program: Command, host: CommandHost): void {
	program
		.command('fmt')
		.argument('[files...]', 'spec files to format, as with -f')
		.summary('Rewrite spec files in the canonical layout, comments kept')
		.description(
			'Rewrite spec files in one canonical layout: keys in the order the schema documents them, strings quoted only where YAML needs it (single quotes), two-space indentation; comments and blank lines are kept. Each file must be valid on its own; nothing is written when any file has an error.'
		)
		.addOption(
			new Option(
				'-f, --file <path>',
				`spec file to format; repeatable, each file is formatted on its own (default: ${DEFAULT_SPEC_FILE})`
			).argParser(collect)
		)
		.option('--check', 'write nothing; exit 1 and name the files that are not formatted (for CI)')
		.option('--diff', 'print the changes as a unified diff (env values with literal text masked)')
		.addHelpText(
			'after',
			`
Examples:
  coder-sessions fmt                                 # rewrite sessions.yaml
  coder-sessions fmt -f base.yaml -f team.yaml
  coder-sessions fmt --check --diff -f sessions.yaml  # CI: fail when a file is not formatted`
		)
		.action(async (files: string[], flags: FmtFlags) => {
			await host.run((io) => runFmt([...(flags.file ?? []), ...files], flags, io));
		});
}

export async function runFmt(files: readonly string[], flags: FmtFlags, io: Io): Promise<number> {
	const result = await formatFiles(files.length > 0 ? files : [DEFAULT_SPEC_FILE], io.cwd);
	if (!result.ok) {
		io.err(renderSpecErrors(result.errors).trimEnd());
		io.err('Nothing was formatted.');
		return ExitCode.Error;
	}
	const changed = result.files.filter((file) => file.after !== file.before);
	if (flags.diff) {
		registerSecrets(result.files.flatMap((file) => literalEnvValues(file.data)));
		for (const file of changed) io.out(patch(file));
	}
	if (flags.check) {
		if (changed.length === 0) return ExitCode.Ok;
		if (!flags.diff) for (const file of changed) io.out(file.file);
		const noun = changed.length === 1 ? 'file is' : 'files are';
		io.err(`${changed.length} ${noun} not formatted; run coder-sessions fmt to rewrite them.`);
		return ExitCode.Error;
	}
	for (const file of changed) {
		try {
			await writeFile(file.path, file.after);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			throw new UserError(`cannot write ${file.file} (${code})`);
		}
		if (!flags.diff) io.out(file.file);
	}
	return ExitCode.Ok;
}

/** The diff as lines of text: a spec from a pull request may hold bidi characters, shown escaped. */
function patch(file: FormattedFile): string {
	return messageText(
		createTwoFilesPatch(`a/${file.file}`, `b/${file.file}`, file.before, file.after, '', '', {
			context: 3,
		}).replace(/^=+\n/, '')
	);
}
