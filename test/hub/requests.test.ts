/**
 * What coder-sessions sends, checked with the Hub's REST reference (CoderAPIReference): every
 * update body a field change can produce uses only the PATCH keys the reference documents and
 * parses with its PATCH wire schema; every create body parses with its create schema.
 */
import { fileURLToPath } from 'node:url';
import { CoderAPIReference } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createInput, updateInput } from '../../src/apply/inputs.js';
import {
	DOCUMENTED_UPDATE_KEYS,
	toCreateRequest,
	toUpdateRequest,
} from '../../src/hub/requests.js';
import {
	FIELD_TABLE,
	REPLACE_FIELDS,
	type FieldName,
} from '../../src/kinds/session/fields/index.js';
import { loadSpec } from '../../src/spec/index.js';

function requestSchema(id: string): z.ZodObject {
	const fields = CoderAPIReference.endpoints.find((e) => e.id === id)?.requestBody?.fields;
	const schema = fields && 'schema' in fields ? fields.schema : undefined;
	if (!(schema instanceof z.ZodObject)) throw new Error(`no object request schema for ${id}`);
	return schema;
}

const PATCH = requestSchema('update-session');
const CREATE = requestSchema('create-session');

async function docsTeam() {
	const cwd = fileURLToPath(new URL('../fixtures/docs-team/', import.meta.url));
	const result = await loadSpec(['sessions.yaml'], { cwd });
	if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
	return result.spec;
}

describe('request bodies against the REST reference', () => {
	it('knows the documented PATCH keys from the reference', () => {
		expect(DOCUMENTED_UPDATE_KEYS).toEqual(Object.keys(PATCH.shape));
		expect(DOCUMENTED_UPDATE_KEYS).not.toContain('workflowMode');
		expect(DOCUMENTED_UPDATE_KEYS).not.toContain('loop');
	});

	it('maps every field changed in place to documented PATCH keys only', async () => {
		const spec = await docsTeam();
		const inPlace = FIELD_TABLE.filter((row) => row.onChange === 'update').map(
			(row) => row.name as FieldName
		);
		// A row replaced on change sends nothing on update.
		for (const row of FIELD_TABLE) {
			if (row.onChange === 'replace') expect(row.update, row.name).toBeUndefined();
		}
		let checked = 0;
		for (const desired of spec.sessions) {
			const changes = [...inPlace, 'protect' as const].map((field) => ({
				field,
				after: field === 'metadata' ? { ticket: 'T-1' } : null,
			}));
			const body = toUpdateRequest(updateInput(spec.stack, desired, changes, 'stamp'));
			expect(
				Object.keys(body).filter((key) => !DOCUMENTED_UPDATE_KEYS.includes(key)),
				desired.key
			).toEqual([]);
			expect(PATCH.strict().safeParse(body).error, desired.key).toBeUndefined();
			checked += Object.keys(body).length;
		}
		expect(checked).toBeGreaterThan(spec.sessions.length);
	});

	it('plans workflowMode and loop as replaces, since the documented PATCH takes neither', () => {
		expect(REPLACE_FIELDS.has('workflowMode')).toBe(true);
		expect(REPLACE_FIELDS.has('loop')).toBe(true);
	});

	it('refuses to build an update with an undocumented key', () => {
		expect(() => toUpdateRequest({ label: 'x', workflowMode: 'loop' })).toThrow(
			/may only carry the keys the Hub documents for PATCH .*not workflowMode/
		);
	});

	it('builds every create body the reference accepts', async () => {
		const spec = await docsTeam();
		for (const desired of spec.sessions) {
			const env = Object.fromEntries(Object.keys(desired.env).map((key) => [key, 'value']));
			const body = toCreateRequest(await createInput(spec.stack, desired, env));
			const extra = Object.keys(body).filter((key) => !(key in CREATE.shape));
			expect(extra, desired.key).toEqual([]);
			expect(CREATE.safeParse(body).error, desired.key).toBeUndefined();
		}
	});
});
