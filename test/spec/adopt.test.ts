import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/merge.js';

const parse = (entry: string, defaults = '') =>
	parseSpec([
		{
			file: 's.yaml',
			text: `version: 1\nstack: s\n${defaults}sessions:\n  a:\n    task: t\n${entry}`,
		},
	]);

describe('adopt: in the spec', () => {
	it('is kept on the entry', () => {
		const result = parse('    adopt: codesess_3f1c0a9b2e4d\n');
		expect(result.ok && result.spec.sessions[0]?.adopt).toBe('codesess_3f1c0a9b2e4d');
	});

	it('cannot be combined with state: archived, nor be empty, nor sit in defaults', () => {
		const messages = (result: ReturnType<typeof parse>) =>
			result.ok ? [] : result.errors.map((e) => e.message);
		expect(messages(parse('    adopt: codesess_1\n    state: archived\n'))).toEqual([
			'cannot be combined with state: archived; adopt the session first, then archive it',
		]);
		expect(messages(parse('    adopt: " "\n'))).toEqual([
			'must not be empty: write the id of the session to adopt, or leave adopt out',
		]);
		expect(messages(parse('', 'defaults:\n  adopt: codesess_1\n'))).toEqual([
			'"adopt" cannot be set in defaults; set it on each session',
		]);
	});
});
