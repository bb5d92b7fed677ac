import { describe, expect, it } from 'vitest';
import { specJsonSchema } from '../../src/spec/schema.js';

type JsonSchema = {
	description?: string;
	properties?: Record<string, JsonSchema>;
	additionalProperties?: JsonSchema | boolean;
	definitions?: Record<string, JsonSchema>;
	$ref?: string;
};

/** Every field an editor can complete carries a description. */
function undocumented(schema: JsonSchema, path: string): string[] {
	const missing: string[] = [];
	for (const [name, property] of Object.entries(schema.properties ?? {})) {
		const here = `${path}.${name}`;
		if (!property.description && !property.$ref) missing.push(here);
		missing.push(...undocumented(property, here));
	}
	if (typeof schema.additionalProperties === 'object') {
		missing.push(...undocumented(schema.additionalProperties, `${path}.*`));
	}
	return missing;
}

describe('specJsonSchema', () => {
	const schema = specJsonSchema() as JsonSchema & Record<string, unknown>;

	it('is a titled draft-07 schema', () => {
		expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
		expect(schema.title).toBe('coder-sessions spec');
		expect(schema.required).toEqual(['version', 'stack', 'sessions']);
		expect(schema.additionalProperties).toBe(false);
	});

	it('documents every field', () => {
		const fromDefinitions = Object.entries(schema.definitions ?? {}).flatMap(([name, definition]) =>
			undocumented(definition, `#${name}`)
		);
		expect([...undocumented(schema, ''), ...fromDefinitions]).toEqual([]);
	});

	it('offers the visibility aliases', () => {
		const sessions = schema.properties?.sessions?.additionalProperties as JsonSchema;
		expect(sessions.properties?.visibility).toMatchObject({
			enum: ['private', 'org', 'organization', 'collab', 'collaborate'],
		});
	});
});
