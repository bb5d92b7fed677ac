/**
 * The field table against the SDK: every request key a row writes is one the SDK's requests
 * have, and a row says the Hub echoes a field exactly when the SDK's session detail holds it.
 */
import {
	CoderCreateSessionRequestSchema,
	CoderSessionSchema,
	CoderUpdateSessionRequestSchema,
} from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { createInput, updateInput } from '../../../src/apply/inputs.js';
import { toCreateRequest, toUpdateRequest } from '../../../src/hub/requests.js';
import {
	FIELD_ROWS,
	FIELD_TABLE,
	IGNORABLE_FIELDS,
	SPEC_ORDER,
	NOT_ECHOED_FIELDS,
	STAMPED_FIELDS,
} from '../../../src/kinds/session/fields/index.js';
import type { FieldChange } from '../../../src/plan/types.js';
import { desired } from '../../support/session-builders.js';

/** Where the SDK's session detail holds each echoed field. */
const DETAIL_KEY: Record<string, string> = { env: 'env', workspaceId: 'workspace' };

const everyField = desired('full', {
	label: 'L',
	visibility: 'organization',
	tags: ['a'],
	workflowMode: 'loop',
	loop: { goal: 'g', maxIterations: 3 },
	agent: 'lead',
	defaultAgent: 'scout',
	enabledAgents: ['scout'],
	skills: [{ skillId: 'sk_1', repo: 'agentuity/skills' }],
	metadata: { team: 'docs' },
	env: { TOKEN: '${TOKEN}' },
	repo: { owner: 'o', name: 'n', branch: 'main' },
	repos: [{ owner: 'o', name: 'm' }],
	workspaceId: 'ws_1',
	savedSkillIds: ['ss_1'],
	skillBucketIds: ['sb_1'],
	sandbox: { runtime: 'bun:1', resources: { memory: '1Gi' }, packages: ['x'] },
});

describe('the field table', () => {
	it('lists each field once, and ignoreChanges takes every one', () => {
		const names = FIELD_TABLE.map((row) => row.name);
		expect(new Set(names).size).toBe(names.length);
		expect([...IGNORABLE_FIELDS]).toEqual(names);
		expect(STAMPED_FIELDS).toEqual(names.filter((name) => name !== 'env'));
	});

	it('documents every field once in the spec order', () => {
		expect([...SPEC_ORDER].sort()).toEqual([...IGNORABLE_FIELDS].sort());
	});

	it('builds create requests the SDK schema accepts, with no key it does not know', async () => {
		const request = toCreateRequest(
			await createInput('docs-team', everyField, { TOKEN: 'resolved' })
		);
		const known = Object.keys(CoderCreateSessionRequestSchema.shape);
		expect(Object.keys(request).filter((key) => !known.includes(key))).toEqual([]);
		expect(CoderCreateSessionRequestSchema.strict().safeParse(request).error).toBeUndefined();
		expect(request).toMatchObject({ skills: [{ skillId: 'sk_1', repo: 'agentuity/skills' }] });
		expect(request.env).toEqual({ TOKEN: 'resolved' });
	});

	it('builds update requests from the in-place fields only, in the SDK update schema', () => {
		const changes: FieldChange[] = FIELD_ROWS.map((row) => ({ field: row.name }));
		const request = toUpdateRequest(updateInput('docs-team', everyField, changes, 'stamp'));
		expect(CoderUpdateSessionRequestSchema.strict().safeParse(request).error).toBeUndefined();
		const inPlace = FIELD_TABLE.filter((row) => row.onChange === 'update').map((row) => row.name);
		expect(inPlace.every((name) => name === 'loop' || name in request)).toBe(true);
		for (const row of FIELD_TABLE) expect(row.update !== undefined).toBe(row.onChange === 'update');
	});

	it('says a field is echoed exactly when the SDK session detail holds it', () => {
		const detailKeys = Object.keys(CoderSessionSchema.shape);
		for (const row of FIELD_TABLE) {
			const keys =
				row.name === 'sandbox' ? Object.keys(row.spec) : [DETAIL_KEY[row.name] ?? row.name];
			const inDetail = keys.some((key) => detailKeys.includes(key));
			expect({ field: row.name, echoed: row.echo !== undefined }).toEqual({
				field: row.name,
				echoed: inDetail,
			});
		}
		expect(NOT_ECHOED_FIELDS).toEqual([
			'loop',
			'agent',
			'savedSkillIds',
			'skillBucketIds',
			'sandbox',
		]);
	});
});
