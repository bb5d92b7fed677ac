/**
 * `${var.NAME}`, `${each.key}`, `${each.value}` and `${each.value.FIELD}` (fields nested with
 * dots) in a string, filled in at load time: text only, no expressions. Any other `${...}` is
 * left as written: in an env value it reads an environment variable at apply time. `$${` is a
 * literal `${` (as in env values); in an env value the `$$` is kept for the env template to read.
 * Pure.
 */
import { didYouMean } from '../did-you-mean.js';
import { isMapping, kindOfValue, type VarValue } from './vars.js';

/** The item a forEach entry is expanded for. */
export interface EachItem {
	readonly key: string;
	readonly value: unknown;
}

export interface SubstitutionScope {
	readonly vars: ReadonlyMap<string, VarValue>;
	/** Absent outside an entry with forEach. */
	readonly each?: EachItem;
	/** An env value: `$$` belongs to the env template and is kept. */
	readonly env?: boolean;
	/** The most text the string may become; past it, substitution stops (`tooLong`). */
	readonly maxLength?: number;
}

export type Substituted =
	| { readonly ok: true; readonly value: string; readonly changed: boolean }
	| { readonly ok: false; readonly problems: readonly string[]; readonly tooLong?: true };

const REFERENCE_START = /^\$\{(var|each)[.}]/;

/** Whether a string holds a `${var.*}` or `${each.*}` reference (`$${` being a literal `${`). */
export function holdsReference(text: string): boolean {
	return /(?:^|[^$])(?:\$\$)*\$\{(?:var|each)[.}]/.test(text);
}

/**
 * Text as a spec string must be written to read back as this very text, or undefined when no
 * spec string can: a `${var.*}` or `${each.*}` gets one more `$` (`$${var.x}` reads `${var.x}`),
 * anything else is kept. A `{` after an even number of `$` is out of reach: `$${` always reads
 * `${`, and `$$$${` reads `$$${`.
 */
export function literalText(text: string): string | undefined {
	if (!text.includes('${')) return text;
	const written = text.replace(/(\$+)\{/g, (run: string, dollars: string, offset: number) => {
		const odd = dollars.length % 2 === 1;
		const reference = REFERENCE_START.test(
			text.slice(offset + dollars.length - 1, offset + run.length + 6)
		);
		return odd && reference ? `$${run}` : run;
	});
	const read = substitute(written, { vars: new Map() });
	return read.ok && read.value === text ? written : undefined;
}

/** Every string of a value as `literalText` writes it (keys as they are); undefined as it. */
export function literalValue(value: unknown): unknown {
	if (typeof value === 'string') return literalText(value);
	if (Array.isArray(value)) {
		const items = value.map(literalValue);
		return items.some((item, index) => item === undefined && value[index] !== undefined)
			? undefined
			: items;
	}
	if (!isMapping(value)) return value;
	const entries = Object.entries(value).map(([key, inner]) => [key, literalValue(inner)] as const);
	return entries.some(([key, inner]) => inner === undefined && value[key] !== undefined)
		? undefined
		: Object.fromEntries(entries);
}

/** Why `literalText` found no way to write a text. */
export const UNWRITABLE_TEXT =
	'the Hub\'s value holds "$${" (or "{" after another even number of "$"), which a spec string reads as "${"';

/** The vars a string names, in order (for `render`'s list of the vars used). */
export function varReferences(text: string): string[] {
	return [...text.matchAll(/(?<!\$)\$\{var\.([^}]*)\}/g)].map((match) => match[1]!);
}

export function substitute(text: string, scope: SubstitutionScope): Substituted {
	if (!text.includes('${')) return { ok: true, value: text, changed: false };
	let out = '';
	let changed = false;
	const problems: string[] = [];
	let index = 0;
	while (index < text.length) {
		if (text.startsWith('$$', index)) {
			if (scope.env) {
				out += '$$';
				index += 2;
			} else if (text.startsWith('$${', index)) {
				out += '${';
				index += 3;
				changed = true;
			} else {
				out += '$$';
				index += 2;
			}
			continue;
		}
		if (!REFERENCE_START.test(text.slice(index, index + 7))) {
			out += text[index];
			index += 1;
			continue;
		}
		const end = text.indexOf('}', index);
		if (end === -1) {
			problems.push(
				`unclosed "${text.slice(index, index + 12)}": write \${var.NAME} or \${each.key}, or "$\${" for a literal "\${"`
			);
			break;
		}
		const reference = text.slice(index + 2, end);
		const filled = fill(reference, scope);
		if ('problem' in filled) problems.push(filled.problem);
		else out += filled.text;
		changed = true;
		index = end + 1;
		// A short reference to a long var can make any text at all: stop before building it.
		if (scope.maxLength !== undefined && out.length > scope.maxLength) {
			return { ok: false, problems: [], tooLong: true };
		}
	}
	return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out, changed };
}

function fill(reference: string, scope: SubstitutionScope): { text: string } | { problem: string } {
	const shown = `\${${reference}}`;
	if (reference.startsWith('var.')) {
		const name = reference.slice('var.'.length);
		if (!scope.vars.has(name)) return { problem: undefinedVar(name, [...scope.vars.keys()]) };
		return asText(scope.vars.get(name), `${shown}: var "${name}"`);
	}
	if (!scope.each) {
		return {
			problem: `${shown} is outside forEach: each.key and each.value exist only in an entry with forEach`,
		};
	}
	if (reference === 'each.key') return { text: scope.each.key };
	if (reference === 'each.value') {
		return asText(scope.each.value, `${shown}: the value of item "${scope.each.key}"`);
	}
	if (!reference.startsWith('each.value.')) {
		return {
			problem: `unknown reference ${shown}: write \${each.key}, \${each.value} or \${each.value.FIELD}`,
		};
	}
	let value: unknown = scope.each.value;
	const fields = reference.slice('each.value.'.length).split('.');
	for (const [depth, field] of fields.entries()) {
		const soFar = ['each.value', ...fields.slice(0, depth)].join('.');
		if (!isMapping(value) || !Object.hasOwn(value, field)) {
			const known = isMapping(value) ? Object.keys(value) : [];
			const suggestion = didYouMean(field, known);
			const has = isMapping(value)
				? known.length > 0
					? `; it has ${known.join(', ')}`
					: ''
				: ` (${soFar} is ${kindOfValue(value)})`;
			return {
				problem: `${shown}: item "${scope.each.key}" has no field "${field}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}${has}`,
			};
		}
		value = value[field];
	}
	return asText(value, `${shown} of item "${scope.each.key}"`);
}

export function undefinedVar(name: string, declared: readonly string[]): string {
	const suggestion = didYouMean(name, declared);
	const known = declared.length > 0 ? `; declared: ${[...declared].sort().join(', ')}` : '';
	return `undefined var "${name}": declare it under vars:${suggestion ? ` (did you mean "${suggestion}"?)` : ''}${known}`;
}

function asText(value: unknown, what: string): { text: string } | { problem: string } {
	if (typeof value === 'string') return { text: value };
	if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value) };
	const hint = isMapping(value) ? '; name one of its fields' : '';
	return {
		problem: `${what} is ${kindOfValue(value)}; only text, a number or a boolean can be put into a string${hint}`,
	};
}
