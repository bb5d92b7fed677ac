/** What `coder-sessions render` does when it runs (loaded then); commands/render.ts declares its flags and help. */
import { DEFAULT_SPEC_FILE, renderSpecErrors } from '../../spec/index.js';
import { loadExpandedFiles } from '../../spec/load.js';
import { renderExpandedFile } from '../../spec/templates/render.js';
import { registerSecrets } from '../../core/secrets/redact.js';
import { ExitCode } from '../../core/exit-code.js';
import { literalEnvValues } from '../../operations/fmt-files.js';
import type { Io } from '../io.js';
import { specVarInputs, type SpecVarFlags } from '../flags/spec.js';

export interface RenderFlags extends SpecVarFlags {
	readonly file?: string[];
}

export async function runRender(flags: RenderFlags, io: Io): Promise<number> {
	const result = await loadExpandedFiles(flags.file ?? [DEFAULT_SPEC_FILE], {
		cwd: io.cwd,
		...(io.readStdin ? { readStdin: io.readStdin } : {}),
		...specVarInputs(flags),
	});
	if (!result.ok) {
		io.err(renderSpecErrors(result.errors).trimEnd());
		return ExitCode.Error;
	}
	registerSecrets(result.files.flatMap((file) => literalEnvValues(file.data)));
	const documents = result.files.map((file) =>
		renderExpandedFile({ file: file.file, expanded: file.expanded, vars: file.vars })
	);
	io.out(documents.join('---\n').trimEnd());
	return ExitCode.Ok;
}
