/**
 * One spec file's data with its templates expanded: `vars:` taken out, `${var.*}` filled in
 * everywhere, and each entry with `forEach` replaced by one entry per item, keyed `ENTRY.ITEM`.
 * Keys come from item keys, never from positions: reordering items changes no key, removing one
 * removes exactly its entry. Problems are reported at the template's path. Pure.
 */
import type { PathSegment } from '../errors.js';
import { MAX_EXPANDED_FILE } from '../expanded-size.js';
import { holdsReference, substitute, undefinedVar, type EachItem } from './substitute.js';
import { isMapping, kindOfValue, type VarValue } from './vars.js';

/** An expansion beyond this many entries per file is refused: no team reviews more. */
export const MAX_EXPANDED_ENTRIES = 2000;
/** What a file's expanded entries may add up to (in characters of JSON). */
export const MAX_EXPANDED_BYTES = MAX_EXPANDED_FILE;

export interface EntrySection {
	/** `sessions`, or a kind's section. */
	readonly name: string;
	/** What a key of the section must look like, and how a message says so. */
	readonly keyPattern: RegExp;
	readonly keyRule: string;
	/** Whose entries have env values (an environment variable reads `${NAME}` at apply time). */
	readonly hasEnv: boolean;
}

export interface TemplateProblem {
	/** Where in the file as written (the template's path). */
	readonly path: readonly PathSegment[];
	readonly target?: 'key' | 'value';
	readonly message: string;
}

export interface ExpandedFile {
	readonly data: unknown;
	/** Per section: each expanded key and the template entry key it came from. */
	readonly templates: ReadonlyMap<string, ReadonlyMap<string, string>>;
	readonly problems: readonly TemplateProblem[];
}

const FOR_EACH = 'forEach';
const WHOLE_VAR = /^\$\{var\.([^}]*)\}$/;

class Capped extends Error {}

export function expandTemplates(
	data: unknown,
	vars: ReadonlyMap<string, VarValue>,
	sections: readonly EntrySection[]
): ExpandedFile {
	const templates = new Map<string, Map<string, string>>();
	const problems: TemplateProblem[] = [];
	const seenProblems = new Set<string>();
	const report = (problem: TemplateProblem) => {
		const id = `${JSON.stringify(problem.path)}\n${problem.message}`;
		if (seenProblems.has(id)) return;
		seenProblems.add(id);
		problems.push(problem);
	};
	if (!isMapping(data)) return { data, templates, problems };

	let entries = 0;
	let bytes = 0;
	/** The text of every string with a reference, once filled in: bounded in plain entries too. */
	let filled = 0;
	const tree = (value: unknown, path: PathSegment[], each?: EachItem, env = false): unknown => {
		if (typeof value === 'string') {
			const maxLength = MAX_EXPANDED_BYTES - filled;
			const result = substitute(value, { vars, ...(each ? { each } : {}), env, maxLength });
			if (result.ok) {
				if (result.changed) filled += result.value.length;
				return result.value;
			}
			if (result.tooLong) {
				report({
					path,
					message: `filling in \${var.*} and \${each.*} here takes the file past ${MAX_EXPANDED_BYTES / 1024 / 1024} MiB of text; a spec file may expand to at most ${MAX_EXPANDED_BYTES / 1024 / 1024} MiB`,
				});
				throw new Capped();
			}
			for (const message of result.problems) report({ path, message });
			return value;
		}
		if (Array.isArray(value)) return value.map((item, index) => tree(item, [...path, index], each));
		if (!isMapping(value)) return value;
		return Object.fromEntries(
			Object.entries(value).map(([key, inner]) => {
				checkKey(key, [...path, key]);
				return [key, tree(inner, [...path, key], each)];
			})
		);
	};
	/** A key is never filled in: one that looks like a template would be kept as written. */
	const checkKey = (key: string, path: PathSegment[]) => {
		if (!holdsReference(key)) return;
		report({
			path,
			target: 'key',
			message: `the key ${JSON.stringify(key)} holds a placeholder, but placeholders are filled into values only, never into keys; write the key as text`,
		});
	};
	/** An env mapping: its values are env templates. */
	const envTree = (value: unknown, path: PathSegment[], each?: EachItem): unknown => {
		if (!isMapping(value)) return tree(value, path, each);
		return Object.fromEntries(
			Object.entries(value).map(([key, inner]) => {
				checkKey(key, [...path, key]);
				return [key, tree(inner, [...path, key], each, true)];
			})
		);
	};
	const entryTree = (entry: unknown, path: PathSegment[], hasEnv: boolean, each?: EachItem) => {
		if (!isMapping(entry)) return tree(entry, path, each);
		return Object.fromEntries(
			Object.entries(entry).map(([key, inner]) => [
				key,
				hasEnv && key === 'env'
					? envTree(inner, [...path, key], each)
					: tree(inner, [...path, key], each),
			])
		);
	};

	const expandSection = (section: EntrySection, written: Record<string, unknown>) => {
		const out: Record<string, unknown> = {};
		const origins = new Map<string, string>();
		const fromTemplate = new Map<string, string>();
		templates.set(section.name, fromTemplate);
		const plainKeys = new Set(
			Object.entries(written)
				.filter(([, entry]) => !(isMapping(entry) && FOR_EACH in entry))
				.map(([key]) => key)
		);
		for (const [key, entry] of Object.entries(written)) {
			const path = [section.name, key];
			if (!(isMapping(entry) && FOR_EACH in entry)) {
				out[key] = entryTree(entry, path, section.hasEnv);
				continue;
			}
			const forEachPath = [...path, FOR_EACH];
			const items = itemsOf(entry[FOR_EACH], vars, forEachPath, report);
			if (!items) continue;
			if (items.length === 0) {
				report({
					path: forEachPath,
					message: `forEach of "${key}" has no items; an entry that expands to nothing would remove every session it made. Delete the entry to remove them`,
				});
				continue;
			}
			const { [FOR_EACH]: _items, ...body } = entry;
			for (const item of items) {
				const expandedKey = `${key}.${item.key}`;
				if (!section.keyPattern.test(expandedKey) || !section.keyPattern.test(item.key)) {
					report({
						path: item.path,
						target: 'key',
						message: `forEach item "${item.key}" of "${key}" makes the key "${expandedKey}", which is not valid: ${section.keyRule}`,
					});
					continue;
				}
				const earlier = origins.get(expandedKey);
				if (earlier !== undefined || plainKeys.has(expandedKey)) {
					const other =
						earlier !== undefined
							? `forEach item "${earlier}"`
							: `the entry "${expandedKey}" written in this file`;
					report({
						path: item.path,
						target: 'key',
						message: `forEach item "${item.key}" of "${key}" makes the key "${expandedKey}", which ${other} already makes; keys must be unique`,
					});
					continue;
				}
				origins.set(expandedKey, `${item.key}" of "${key}`);
				entries += 1;
				if (entries > MAX_EXPANDED_ENTRIES) {
					report({
						path: forEachPath,
						message: `forEach expands the file to more than ${MAX_EXPANDED_ENTRIES} entries; a spec file may expand to at most ${MAX_EXPANDED_ENTRIES}`,
					});
					throw new Capped();
				}
				const each = { key: item.key, value: item.value };
				const expanded = entryTree(body, path, section.hasEnv, each);
				bytes += JSON.stringify(expanded)?.length ?? 0;
				if (bytes > MAX_EXPANDED_BYTES) {
					report({
						path: forEachPath,
						message: `forEach expands the file to more than ${MAX_EXPANDED_BYTES / 1024 / 1024} MiB of text; a spec file may expand to at most ${MAX_EXPANDED_BYTES / 1024 / 1024} MiB`,
					});
					throw new Capped();
				}
				out[expandedKey] = expanded;
				fromTemplate.set(expandedKey, key);
			}
		}
		return out;
	};

	const byName = new Map(sections.map((section) => [section.name, section]));
	const out: Record<string, unknown> = {};
	try {
		for (const [key, value] of Object.entries(data)) {
			if (key === 'vars') continue;
			const section = byName.get(key);
			if (section && isMapping(value)) out[key] = expandSection(section, value);
			else if (key === 'defaults') out[key] = entryTree(value, [key], true);
			else out[key] = tree(value, [key]);
		}
	} catch (error) {
		if (!(error instanceof Capped)) throw error;
	}
	return { data: out, templates, problems };
}

interface Item {
	readonly key: string;
	readonly value: unknown;
	/** Where the item is written (the forEach itself when it comes from a var). */
	readonly path: readonly PathSegment[];
}

/** The items a forEach names, in order; undefined when it names none validly (reported). */
function itemsOf(
	written: unknown,
	vars: ReadonlyMap<string, VarValue>,
	path: readonly PathSegment[],
	report: (problem: TemplateProblem) => void
): Item[] | undefined {
	let value = written;
	let fromVar: string | undefined;
	if (typeof written === 'string') {
		const name = WHOLE_VAR.exec(written)?.[1];
		if (name === undefined) {
			report({
				path,
				message: `forEach takes a mapping of items, a list of strings, or \${var.NAME} alone (got ${JSON.stringify(written)})`,
			});
			return undefined;
		}
		if (!vars.has(name)) {
			report({ path, message: undefinedVar(name, [...vars.keys()]) });
			return undefined;
		}
		value = vars.get(name);
		fromVar = name;
	}
	const origin = fromVar ? `var "${fromVar}" (forEach: \${var.${fromVar}})` : 'forEach';
	if (Array.isArray(value)) {
		const items: Item[] = [];
		const seen = new Set<string>();
		for (const [index, item] of value.entries()) {
			const itemPath = fromVar ? path : [...path, index];
			if (typeof item !== 'string') {
				report({
					path: itemPath,
					message: `${origin}: a list item must be a string, the item's key (got ${kindOfValue(item)}); write a mapping of items to give each a value`,
				});
				return undefined;
			}
			if (seen.has(item)) {
				report({ path: itemPath, message: `${origin}: item "${item}" is listed twice` });
				return undefined;
			}
			seen.add(item);
			items.push({ key: item, value: item, path: itemPath });
		}
		return items;
	}
	if (isMapping(value)) {
		return Object.entries(value).map(([key, item]) => ({
			key,
			value: item,
			path: fromVar ? path : [...path, key],
		}));
	}
	report({
		path,
		message: `${origin} holds ${kindOfValue(value)}; it takes a mapping of items (item key: any value) or a list of strings`,
	});
	return undefined;
}
