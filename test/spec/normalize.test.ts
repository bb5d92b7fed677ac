import { normalizeVisibility as sdkNormalizeVisibility } from '@agentuity/core';
import { describe, expect, it } from 'vitest';
import { normalizeSession, parseRepo } from '../../src/spec/normalize.js';
import type { SessionDefaults, SessionEntry } from '../../src/spec/schema.js';
import { isVisibilityInput, normalizeVisibility } from '../../src/kinds/session/visibility.js';

const source = { file: 'sessions.yaml', line: 1, column: 1 };
const normalize = (entry: Partial<SessionEntry>, defaults?: SessionDefaults) =>
	normalizeSession('key', { task: 'Do it', ...entry }, defaults, source);

describe('parseRepo', () => {
	it.each([
		['agentuity/sdk', { owner: 'agentuity', name: 'sdk' }],
		['agentuity/sdk#main', { owner: 'agentuity', name: 'sdk', branch: 'main' }],
		['a-b/c.d_e#feature/x-1', { owner: 'a-b', name: 'c.d_e', branch: 'feature/x-1' }],
	])('%s', (input, expected) => {
		expect(parseRepo(input)).toEqual(expected);
	});

	it('keeps the set fields of the mapping form', () => {
		expect(parseRepo({ owner: 'a', name: 'b', commit: 'abc', path: undefined })).toEqual({
			owner: 'a',
			name: 'b',
			commit: 'abc',
		});
	});
});

describe('visibility', () => {
	const inputs = [
		'private',
		'org',
		'ORG',
		' Organization ',
		'collab',
		'Collaborate',
		'public',
		'orgs',
		'',
	];

	it.each(inputs)('%j behaves as the SDK normalizeVisibility', (input) => {
		let expected: string | undefined;
		try {
			expected = sdkNormalizeVisibility(input);
		} catch {
			expected = undefined;
		}
		expect(normalizeVisibility(input)).toBe(expected);
		expect(isVisibilityInput(input)).toBe(expected !== undefined);
	});

	it('is normalised on the session', () => {
		expect(normalize({ visibility: 'Collab' }).visibility).toBe('collaborate');
		expect(normalize({}, { visibility: 'org' }).visibility).toBe('organization');
		expect(normalize({})).not.toHaveProperty('visibility');
	});
});

describe('defaults', () => {
	it('unions tags (defaults first) and merges metadata and env, the entry winning', () => {
		const session = normalize(
			{ tags: ['b', 'a'], metadata: { team: 'api', ticket: 'X-1' }, env: { B: '${B}' } },
			{
				tags: ['a', 'managed'],
				metadata: { team: 'docs', owner: 'me' },
				env: { A: '${A}', B: 'x' },
			}
		);
		expect(session.tags).toEqual(['a', 'managed', 'b']);
		expect(session.metadata).toEqual({ team: 'api', owner: 'me', ticket: 'X-1' });
		expect(session.env).toEqual({ A: '${A}', B: '${B}' });
	});

	it('replaces other fields, lists included', () => {
		const session = normalize(
			{ enabledAgents: ['scout'], repo: 'a/b' },
			{
				enabledAgents: ['lead', 'builder'],
				repo: { owner: 'x', name: 'y', branch: 'z' },
				agent: 'lead',
			}
		);
		expect(session).toMatchObject({
			enabledAgents: ['scout'],
			repo: { owner: 'a', name: 'b' },
			agent: 'lead',
		});
	});

	it('merges sandbox settings key by key and leaves sandbox out when none is set', () => {
		const session = normalize(
			{ resources: { cpu: '1000m' }, runtime: 'python:3.14' },
			{ resources: { memory: '1Gi', cpu: '500m' }, runtime: 'bun:1', scopes: ['services:read'] }
		);
		expect(session.sandbox).toEqual({
			runtime: 'python:3.14',
			resources: { memory: '1Gi', cpu: '1000m' },
			scopes: ['services:read'],
		});
		expect(normalize({})).not.toHaveProperty('sandbox');
	});
});

describe('workflowMode and loop', () => {
	it.each<[string, Partial<SessionEntry>, SessionDefaults | undefined, object]>([
		[
			'a loop block implies loop mode',
			{ loop: { goal: 'g' } },
			undefined,
			{ workflowMode: 'loop', loop: { goal: 'g' } },
		],
		['loop mode without a block', { workflowMode: 'loop' }, undefined, { workflowMode: 'loop' }],
		[
			'the loop is merged over the defaults',
			{ loop: { goal: 'g' } },
			{ loop: { maxIterations: 5, goal: 'default' } },
			{ workflowMode: 'loop', loop: { maxIterations: 5, goal: 'g' } },
		],
		[
			'explicit standard drops a default loop',
			{ workflowMode: 'standard' },
			{ workflowMode: 'loop', loop: { maxIterations: 5 } },
			{ workflowMode: 'standard' },
		],
		[
			'loop mode from the defaults',
			{},
			{ loop: { autoContinue: true } },
			{ workflowMode: 'loop', loop: { autoContinue: true } },
		],
		['neither', {}, undefined, {}],
	])('%s', (_name, entry, defaults, expected) => {
		const session = normalize(entry, defaults);
		expect({ workflowMode: session.workflowMode, loop: session.loop }).toEqual({
			workflowMode: undefined,
			loop: undefined,
			...expected,
		});
	});
});

describe('entry-only fields', () => {
	it('defaults state, protect and ignoreChanges, and de-duplicates ignoreChanges', () => {
		expect(normalize({})).toMatchObject({ state: 'active', protect: false, ignoreChanges: [] });
		expect(normalize({ ignoreChanges: ['tags', 'label', 'tags'] }).ignoreChanges).toEqual([
			'tags',
			'label',
		]);
	});
});
