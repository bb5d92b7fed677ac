/**
 * Env values are templates: `${NAME}` is read from the environment at apply time and `$$` is a
 * literal `$` (so `$${` is a literal `${`). A `$` before a name (`$TOKEN`) is refused: it looks
 * like a reference and would silently be literal text. Any other `$` is just a dollar sign.
 */
import { UserError } from '../../core/errors.js';

export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_START = /^[A-Za-z_]$/;

export type TemplatePart =
	| { readonly kind: 'text'; readonly text: string }
	| { readonly kind: 'ref'; readonly name: string };

export type ParsedTemplate =
	| { readonly ok: true; readonly parts: readonly TemplatePart[] }
	| { readonly ok: false; readonly problems: readonly string[] };

export function parseTemplate(template: string): ParsedTemplate {
	const parts: TemplatePart[] = [];
	const problems: string[] = [];
	let text = '';
	let index = 0;
	while (index < template.length) {
		if (template.startsWith('$$', index)) {
			text += '$';
			index += 2;
		} else if (NAME_START.test(template[index + 1] ?? '') && template[index] === '$') {
			const name = /^[A-Za-z0-9_]*/.exec(template.slice(index + 1))![0];
			problems.push(
				`"$${name}" is not a reference: write "\${${name}}" to read the variable ${name}, or "$$" for a literal "$"`
			);
			text += '$';
			index += 1;
		} else if (template.startsWith('${', index)) {
			const end = template.indexOf('}', index + 2);
			if (end === -1) {
				problems.push('unclosed "${" (write "$${" for a literal "${")');
				break;
			}
			const name = template.slice(index + 2, end);
			if (!ENV_NAME_PATTERN.test(name)) problems.push(invalidNameMessage(name));
			if (text !== '') parts.push({ kind: 'text', text });
			parts.push({ kind: 'ref', name });
			text = '';
			index = end + 1;
		} else {
			text += template[index];
			index += 1;
		}
	}
	if (problems.length > 0) return { ok: false, problems };
	if (text !== '') parts.push({ kind: 'text', text });
	return { ok: true, parts };
}

function invalidNameMessage(name: string): string {
	if (name === '') return 'empty reference "${}": write ${NAME}, or "$${" for a literal "${"';
	return (
		`invalid variable name ${JSON.stringify(name)} in "\${${name}}": ` +
		'use letters, digits and underscores, not starting with a digit (or "$${" for a literal "${")'
	);
}

/** What is wrong with a template, for the spec's validation; empty when it is fine. */
export function templateProblems(template: string): readonly string[] {
	const parsed = parseTemplate(template);
	return parsed.ok ? [] : parsed.problems;
}

/** The variables a template reads, in first-seen order; empty for an invalid template. */
export function templateReferences(template: string): readonly string[] {
	const parsed = parseTemplate(template);
	if (!parsed.ok) return [];
	const names = parsed.parts.flatMap((part) => (part.kind === 'ref' ? [part.name] : []));
	return [...new Set(names)];
}

export type ResolvedTemplate = { readonly value: string } | { readonly missing: readonly string[] };

/**
 * Fills in a template from `env`. A variable that is unset is missing; one set to the empty
 * string is used as is (as a shell would). Templates are validated when the spec loads, so an
 * invalid one here came from elsewhere (a hand-edited plan) and is refused with a UserError.
 */
export function resolveTemplate(
	template: string,
	env: Readonly<Record<string, string | undefined>>
): ResolvedTemplate {
	const parsed = parseTemplate(template);
	if (!parsed.ok) throw new UserError(`invalid env template: ${parsed.problems.join('; ')}`);
	const missing = new Set<string>();
	let value = '';
	for (const part of parsed.parts) {
		if (part.kind === 'text') {
			value += part.text;
			continue;
		}
		const found = env[part.name];
		if (found === undefined) missing.add(part.name);
		else value += found;
	}
	return missing.size > 0 ? { missing: [...missing] } : { value };
}

/** Stands for literal text in a template's structure; not a valid template, so never sent as one. */
export const LITERAL_PLACEHOLDER = '${?}';

/**
 * The shape of a template without its literal text: the references in order, with
 * LITERAL_PLACEHOLDER where literal text sits (`Bearer ${TOKEN}` gives `${?}${TOKEN}`). Not
 * secret: it names variables only. An invalid template gives LITERAL_PLACEHOLDER alone.
 */
export function templateStructure(template: string): string {
	// A structure is its own structure: a saved plan holds templates in this form.
	const structure = template
		.split(LITERAL_PLACEHOLDER)
		.map(pieceStructure)
		.join(LITERAL_PLACEHOLDER);
	return structure.replace(/(\$\{\?\})+/g, LITERAL_PLACEHOLDER);
}

function pieceStructure(template: string): string {
	const parsed = parseTemplate(template);
	if (!parsed.ok) return LITERAL_PLACEHOLDER;
	return parsed.parts
		.map((part) => (part.kind === 'ref' ? `\${${part.name}}` : LITERAL_PLACEHOLDER))
		.join('');
}

/** Whether a template is a structure only (its literal text left out, as in a saved plan). */
export function isStructureOnly(template: string): boolean {
	return template.includes(LITERAL_PLACEHOLDER);
}

/** Whether a template has literal text (which may be a secret). */
export function hasLiteralText(template: string): boolean {
	const parsed = parseTemplate(template);
	return !parsed.ok || parsed.parts.some((part) => part.kind === 'text');
}
