import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createLocator, type LocateTarget } from '../../src/spec/locate.js';

const text = `version: 1
sessions:
  api-review:
    task: Review
    tags: [docs, 7]
    label:
    metadata: { ticket: 123 }
  copy: &copy
    task: Copy
  alias: *copy
`;

function locate(path: (string | number)[], target?: LocateTarget) {
	const lines = new LineCounter();
	const doc = parseDocument(text, { lineCounter: lines });
	const { line, column } = createLocator(doc, lines)(path, target);
	return `${line}:${column}`;
}

describe('createLocator', () => {
	it.each<[(string | number)[], LocateTarget | undefined, string]>([
		[['version'], undefined, '1:10'],
		[['version'], 'key', '1:1'],
		[['sessions', 'api-review', 'tags', 1], undefined, '5:18'],
		[['sessions', 'api-review', 'metadata', 'ticket'], undefined, '7:25'],
		[['sessions', 'api-review', 'metadata', 'ticket'], 'key', '7:17'],
		// An empty value points at its key.
		[['sessions', 'api-review', 'label'], undefined, '6:5'],
		// A missing key points at the key of the mapping that lacks it.
		[['sessions', 'api-review', 'repo'], undefined, '3:3'],
		[['sessions', 'api-review', 'repo', 'owner'], undefined, '3:3'],
		[['stack'], undefined, '1:1'],
		// Through an alias: the alias itself, not the anchored text.
		[['sessions', 'alias', 'task'], undefined, '10:10'],
	])('%j (%s) -> %s', (path, target, expected) => {
		expect(locate(path, target)).toBe(expected);
	});
});
