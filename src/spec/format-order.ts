/**
 * The canonical order of a spec's keys is the order its schema documents them: version, stack,
 * prune, allowRemovals, defaults, sessions at the top; task, label, then the shared fields in
 * each session; owner, name, branch... in a repository. Mappings the schema does not spell out
 * (sessions, metadata, env) keep the order they are written in.
 */
import type * as z from 'zod';
import { SpecFileSchema } from './schema.js';

type AnySchema = z.ZodType;

interface Def {
	readonly type: string;
	readonly innerType?: AnySchema;
	readonly in?: AnySchema;
	readonly options?: readonly AnySchema[];
	readonly element?: AnySchema;
	readonly valueType?: AnySchema;
	readonly shape?: Record<string, AnySchema>;
}

const defOf = (schema: AnySchema): Def => (schema as unknown as { def: Def }).def;

/** Optional, default, pipe and the like wrap the schema that says what the value is. */
function unwrap(schema: AnySchema): AnySchema {
	for (let current = schema; ;) {
		const def = defOf(current);
		const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
		if (!inner) return current;
		current = inner;
	}
}

/** A place in the spec: the object schemas a value there may follow (a union offers several). */
export type SchemaPlace = readonly AnySchema[];

export const TOP_LEVEL: SchemaPlace = [SpecFileSchema];

/** The schemas of what lies under `key` (a string key of a mapping, or an item of a list). */
export function placeOf(place: SchemaPlace, key: string | number): SchemaPlace {
	const out: AnySchema[] = [];
	for (const schema of place.map(unwrap)) {
		const def = defOf(schema);
		let next: AnySchema | undefined;
		if (def.type === 'object' && typeof key === 'string') next = def.shape?.[key];
		else if (def.type === 'record' && typeof key === 'string') next = def.valueType;
		else if (def.type === 'array' && typeof key === 'number') next = def.element;
		if (next) out.push(...alternatives(next));
	}
	return out;
}

function alternatives(schema: AnySchema): AnySchema[] {
	const inner = unwrap(schema);
	const def = defOf(inner);
	return def.type === 'union' ? (def.options ?? []).flatMap(alternatives) : [inner];
}

/** The documented key order at this place, or undefined where the written order is kept. */
export function keyOrder(place: SchemaPlace): readonly string[] | undefined {
	const objects = place.map((schema) => defOf(schema)).filter((def) => def.type === 'object');
	if (objects.length === 0) return undefined;
	return [...new Set(objects.flatMap((def) => Object.keys(def.shape ?? {})))];
}
