import type { Command } from 'commander';
import { DEFAULT_SPEC_FILE, renderSpecErrors } from '../../spec/index.js';
import { loadExpandedFiles } from '../../spec/load.js';
import { renderExpandedFile } from '../../spec/templates/render.js';
import { registerSecrets } from '../../core/secrets/redact.js';
import { ExitCode } from '../../core/exit-code.js';
import { literalEnvValues } from '../../operations/fmt-files.js';
import type { Io } from '../io.js';
import type { CommandHost } from '../run.js';
import {
	addSpecVarFlags,
	specFileOption,
	specVarInputs,
	type SpecVarFlags,
} from '../flags/spec.js';

export interface RenderFlags extends SpecVarFlags {
	readonly file?: string[];
}

export function registerRender(program: Command, host: CommandHost): void {
	const command = program
		.command('render')
		.summary('Print the spec with its templates expanded (offline)')
		.description(
			"Print the spec as plan and apply read it: every forEach expanded into its entries and every ${var.NAME} filled in, in fmt's layout, under a comment naming the vars and where each value came from. Needs no credentials and never contacts the Hub."
		);
	command.addOption(specFileOption());
	addSpecVarFlags(command)
		.addHelpText(
			'after',
			`
Each file is printed on its own, expanded, as one YAML document (several files: separated by
---). Env values with literal text are masked; \${NAME} in env stays, it is read at apply time.

Examples:
  coder-sessions render
  coder-sessions render --var-file prod.yaml
  coder-sessions render -f sessions.yaml --var env=qa`
		)
		.action(async (flags: RenderFlags) => {
			await host.run((io) => runRender(flags, io));
		});
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
