/** A `--var-file`: a YAML mapping of var names to values, read as strictly as a spec file. Pure. */
import type { SpecError } from '../errors.js';
import { readSpecDocument } from '../parse.js';
import { invalidVarName, isMapping, VAR_NAME_PATTERN, type VarOverride } from './vars.js';

const VAR_FILE_SHAPE = 'a mapping of var names to values (NAME: VALUE)';

export type VarFileResult =
	| { readonly ok: true; readonly overrides: readonly VarOverride[] }
	| { readonly ok: false; readonly errors: readonly SpecError[] };

export function parseVarFile(text: string, file: string): VarFileResult {
	const read = readSpecDocument(text, file, VAR_FILE_SHAPE);
	if (!read.ok) return read;
	const { data, locate, written, errorAt } = read.document;
	// As in a spec file: no control character in a string, no tag a value does not match, ...
	if (written.problems.length > 0) {
		return {
			ok: false,
			errors: written.problems.map((problem) =>
				errorAt(problem.offset, problem.path, problem.message)
			),
		};
	}
	if (!isMapping(data)) {
		const message = `expected ${VAR_FILE_SHAPE}`;
		return { ok: false, errors: [{ file, at: locate([]), path: [], message }] };
	}
	const errors: SpecError[] = [];
	const overrides: VarOverride[] = [];
	for (const [name, value] of Object.entries(data)) {
		if (!VAR_NAME_PATTERN.test(name)) {
			errors.push({ file, at: locate([name], 'key'), path: [name], message: invalidVarName(name) });
		} else if (value === null || value === undefined) {
			const message = `var "${name}" has no value; give one, or leave it out to keep its default`;
			errors.push({ file, at: locate([name]), path: [name], message });
		} else {
			overrides.push({
				name,
				value,
				origin: 'var-file',
				given: file,
				file,
				at: locate([name], 'key'),
			});
		}
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, overrides };
}
