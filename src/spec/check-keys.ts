/**
 * A mapping key must be the text written, and a string that is safe as a JavaScript object key.
 * YAML reads some plain keys as something else (`0x10` is 16, `~` is null, `1e3` is 1000), and
 * a JavaScript object drops `__proto__` or answers `constructor` without holding it.
 */
import { isAlias, isScalar, type Document, type Scalar } from 'yaml';
import { firstNonPrintable, unicodeName } from './printable.js';

/** What a pair's key turns into in the data: its name there, and the problem with it, if any. */
export interface KeyVerdict {
	/** Undefined when the key has no string form of its own (a mapping or list as a key). */
	readonly name: string | undefined;
	/** How messages name it: as written (`0x10`, not `16`). */
	readonly shown?: string;
	readonly problem?: string;
}

/** Names every plain object answers without holding them: a lookup of such a key misleads. */
const BUILT_IN_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The string yaml makes of a scalar key when it builds a plain object. */
export function dataKeyOf(key: Scalar): string {
	return key.value === null ? '' : String(key.value);
}

function describeRead(value: unknown): string {
	if (value === null) return 'an empty key (null)';
	if (typeof value === 'number') {
		return Number.isFinite(value) ? `the number ${value}` : `the number ${String(value)}`;
	}
	if (typeof value === 'boolean') return `the boolean ${value}`;
	return `"${String(value)}"`;
}

function scalarVerdict(key: Scalar): KeyVerdict {
	const name = dataKeyOf(key);
	const written = key.source ?? name;
	if (typeof key.value !== 'string' && name !== written) {
		return {
			name,
			shown: written,
			problem: `key ${written} is read by YAML as ${describeRead(key.value)}, not as written; put it in quotes to keep it as written: ${JSON.stringify(written)}`,
		};
	}
	if (key.type === 'PLAIN' && written === '<<') {
		return {
			name,
			problem: 'YAML merge keys (<<) are not supported; put shared settings in defaults',
		};
	}
	if (BUILT_IN_NAMES.has(name)) {
		return {
			name,
			problem: `${JSON.stringify(name)} cannot be used as a key: it is the name of a built-in property of JavaScript objects`,
		};
	}
	const control = firstNonPrintable(name, false);
	if (control !== undefined) {
		return {
			name,
			problem: `key ${JSON.stringify(name)} contains ${unicodeName(control)}; keys must be printable text`,
		};
	}
	return { name };
}

export function checkKey(key: unknown, doc: Document): KeyVerdict {
	if (key === null || key === undefined) return { name: '' };
	if (isScalar(key)) return scalarVerdict(key);
	if (isAlias(key)) {
		const target = key.resolve(doc);
		return {
			name: isScalar(target) ? dataKeyOf(target) : undefined,
			problem: `an alias (*${key.source}) cannot be used as a key; write the key out`,
		};
	}
	return { name: undefined, problem: 'a key must be a string, not a mapping or a list' };
}
