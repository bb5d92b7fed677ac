/** What `coder-sessions fmt` does when it runs (loaded then); commands/fmt.ts declares its flags and help. */
import { createTwoFilesPatch } from 'diff';
import { DEFAULT_SPEC_FILE, renderSpecErrors } from '../../spec/index.js';
import { registerSecrets } from '../../core/secrets/redact.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-code.js';
import { formatFiles, literalEnvValues, type FormattedFile } from '../../operations/fmt-files.js';
import { replaceSpecFile } from '../../operations/replace-file.js';
import type { Io } from '../io.js';
import type { SpecFlags } from '../flags/spec.js';
import { inlineText, messageText } from '../../core/untrusted/text.js';

export interface FmtFlags extends Pick<SpecFlags, 'file'> {
	readonly check?: boolean;
	readonly diff?: boolean;
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
		// A name a pull request chose (`fmt --check specs/*.yaml` in CI): shown escaped.
		if (!flags.diff) for (const file of changed) io.out(inlineText(file.file));
		const noun = changed.length === 1 ? 'file is' : 'files are';
		io.err(`${changed.length} ${noun} not formatted; run coder-sessions fmt to rewrite them.`);
		return ExitCode.Error;
	}
	for (const file of changed) {
		try {
			await replaceSpecFile(file.path, file.after);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			throw new UserError(`cannot write ${file.file} (${code})`);
		}
		if (!flags.diff) io.out(inlineText(file.file));
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
