import { describe, expect, it } from 'vitest';
import {
	formatPath,
	formatSpecError,
	renderSpecErrors,
	specErrorToJson,
	summarizeSpecErrors,
	type SpecError,
} from '../../src/spec/errors.js';
import { didYouMean, editDistance } from '../../src/spec/did-you-mean.js';

const error = (file: string, message: string, line?: number): SpecError => ({
	file,
	path: ['sessions', 'api-review', 'visibility'],
	message,
	...(line === undefined ? {} : { at: { line, column: 5 } }),
});

describe('formatPath', () => {
	it.each<[(string | number)[], string]>([
		[[], ''],
		[['stack'], 'stack'],
		[['sessions', 'api-review', 'tags', 1], 'sessions.api-review.tags[1]'],
		[
			['sessions', 'docs.v2', 'metadata', 'team/owner'],
			'sessions["docs.v2"].metadata["team/owner"]',
		],
		[['sessions', 'a', 'env', '1C'], 'sessions.a.env.1C'],
	])('%j', (path, text) => {
		expect(formatPath(path)).toBe(text);
	});
});

describe('formatSpecError', () => {
	it('is FILE:LINE:COL: PATH: MESSAGE', () => {
		expect(formatSpecError(error('sessions.yaml', 'bad', 14))).toBe(
			'sessions.yaml:14:5: sessions.api-review.visibility: bad'
		);
	});

	it('leaves out what is unknown', () => {
		expect(formatSpecError({ file: 'sessions.yaml', path: [], message: 'file not found' })).toBe(
			'sessions.yaml: file not found'
		);
		expect(
			formatSpecError({ file: 'a.yaml', at: { line: 1, column: 1 }, path: [], message: 'empty' })
		).toBe('a.yaml:1:1: empty');
	});

	it('has a JSON form', () => {
		expect(specErrorToJson(error('a.yaml', 'bad', 3))).toEqual({
			file: 'a.yaml',
			line: 3,
			column: 5,
			path: 'sessions.api-review.visibility',
			message: 'bad',
		});
		expect(specErrorToJson({ file: 'a.yaml', path: [], message: 'file not found' })).toMatchObject({
			line: null,
			column: null,
			path: '',
		});
	});
});

describe('summaries', () => {
	it('counts errors and names the files', () => {
		expect(summarizeSpecErrors([error('a.yaml', 'x', 1)])).toBe('1 error in a.yaml');
		expect(
			summarizeSpecErrors([
				error('a.yaml', 'x', 1),
				error('b.yaml', 'y', 2),
				error('a.yaml', 'z', 3),
			])
		).toBe('3 errors in a.yaml, b.yaml');
		expect(renderSpecErrors([error('a.yaml', 'x', 1)])).toBe(
			'a.yaml:1:5: sessions.api-review.visibility: x\n1 error in a.yaml\n'
		);
	});
});

describe('did you mean', () => {
	it('counts a swap of neighbours as one edit', () => {
		expect(editDistance('lable', 'label')).toBe(1);
		expect(editDistance('', 'abc')).toBe(3);
		expect(editDistance('kitten', 'sitting')).toBe(3);
	});

	it('suggests close candidates only, ignoring case', () => {
		const fields = ['label', 'tags', 'task', 'workflowMode', 'visibility'];
		expect(didYouMean('lable', fields)).toBe('label');
		expect(didYouMean('workflowmode', fields)).toBe('workflowMode');
		expect(didYouMean('visiblity', fields)).toBe('visibility');
		expect(didYouMean('colour', fields)).toBeUndefined();
		expect(didYouMean('x', fields)).toBeUndefined();
	});
});
