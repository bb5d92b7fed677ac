/** What `coder-sessions validate` does when it runs (loaded then); commands/validate.ts declares its flags and help. */
import { loadSpec, renderSpecErrors, specErrorToJson, type SpecResult } from '../../spec/index.js';
import { ExitCode } from '../../core/exit-code.js';
import { unsetSpecVariables, unsetVariablesNote } from '../../plan/env/missing.js';
import type { Io } from '../io.js';
import type { SpecVarInputs } from '../../spec/templates/vars.js';
import type { Spec } from '../../kinds/session/desired.js';
import type { ReportFormat } from '../flags/output.js';
import { jsonText } from '../../core/untrusted/json.js';
import { inlineText, messageText } from '../../core/untrusted/text.js';

export type ValidateFormat = ReportFormat;

export interface ValidateOptions {
	readonly files: readonly string[];
	readonly format: ValidateFormat;
	readonly vars?: SpecVarInputs;
}

/** How many entries templates made, and from how many templates, in every section. */
function templateCounts(spec: Spec): { entries: number; templates: number } {
	const made = [
		...spec.sessions.map((session) => ({ kind: 'session', template: session.template })),
		...(spec.resources ?? []).map((entry) => ({ kind: entry.kind, template: entry.template })),
	].filter((entry) => entry.template !== undefined);
	// A template is named by its section too: sessions.review and agents.review are two.
	const templates = new Set(made.map((entry) => `${entry.kind}.${entry.template}`));
	return { entries: made.length, templates: templates.size };
}

/** In the JSON report only when a template made entries, so that other reports stay as they were. */
function templateReport(spec: Spec): { fromTemplates?: number; templates?: number } {
	const made = templateCounts(spec);
	return made.templates === 0 ? {} : { fromTemplates: made.entries, templates: made.templates };
}

function describe(result: Extract<SpecResult, { ok: true }>): string {
	const { spec } = result;
	// Entries, not sessions: a plan also counts live sessions the spec no longer names.
	const noun = spec.sessions.length === 1 ? 'entry' : 'entries';
	const made = templateCounts(spec);
	const from =
		made.templates === 0
			? ''
			: ` (${made.entries} from ${made.templates} ${made.templates === 1 ? 'template' : 'templates'})`;
	const others = spec.resources ?? [];
	const files = spec.files.map(inlineText).join(', ');
	if (others.length === 0)
		return `${files}: ${spec.sessions.length} ${noun}${from} in stack ${spec.stack}`;
	const total = spec.sessions.length + others.length;
	return `${files}: ${total} entries${from} in stack ${spec.stack}: ${kindCounts(spec)}`;
}

/** `1 session, 2 skills, 1 agent`: the entries of each kind the spec declares. */
function kindCounts(spec: Spec): string {
	const counts = new Map<string, number>([['session', spec.sessions.length]]);
	for (const entry of spec.resources ?? [])
		counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
	return [...counts]
		.filter(([, count]) => count > 0)
		.map(([kind, count]) => `${count} ${count === 1 ? kind : `${kind}s`}`)
		.join(', ');
}

export async function runValidate(options: ValidateOptions, io: Io): Promise<number> {
	const result = await loadSpec(options.files, {
		cwd: io.cwd,
		...(io.readStdin ? { readStdin: io.readStdin } : {}),
		...(options.vars ? { vars: options.vars } : {}),
	});
	// Offline, so no plan to fail: only a note, which plan turns into an error where it creates.
	if (result.ok) {
		const unset = unsetSpecVariables(result.spec.sessions, io.env);
		// The note names spec files, whose names a pull request chooses: shown escaped.
		if (unset.length > 0) io.err(messageText(unsetVariablesNote(unset)));
	}
	if (options.format === 'json') {
		const report = result.ok
			? {
					valid: true,
					stack: result.spec.stack,
					sessions: result.spec.sessions.length,
					// With other kinds, every entry; fromTemplates counts them all.
					...(result.spec.resources?.length
						? { entries: result.spec.sessions.length + result.spec.resources.length }
						: {}),
					...templateReport(result.spec),
					files: result.spec.files,
				}
			: { valid: false, errors: result.errors.map(specErrorToJson) };
		io.out(jsonText(report, 2));
	} else if (result.ok) {
		io.out(describe(result));
	} else {
		io.err(renderSpecErrors(result.errors));
	}
	return result.ok ? ExitCode.Ok : ExitCode.Error;
}
