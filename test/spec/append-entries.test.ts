import { describe, expect, it } from 'vitest';
import { appendEntries } from '../../src/spec/append-entries.js';

const ENTRY = '  review:\n    adopt: codesess_1\n    task: Review\n';

const appended = (text: string) => {
	const result = appendEntries(text, ENTRY, 'f.yaml');
	if (!result.ok) throw new Error(result.message);
	return result.text;
};

describe('appendEntries', () => {
	it('adds after the last entry at the file own indentation, in fmt key order', () => {
		const text = 'version: 1\nstack: a\nsessions:\n    x:\n        task: X # kept\n# tail\n';
		expect(appended(text)).toBe(
			'version: 1\nstack: a\nsessions:\n    x:\n        task: X # kept\n\n    review:\n      task: Review\n      adopt: codesess_1\n# tail\n'
		);
	});

	it('fills an empty sessions, keeping the comment on its line', () => {
		expect(appended('version: 1\nstack: a\nsessions: {} # none yet\n')).toBe(
			'version: 1\nstack: a\nsessions: # none yet\n  review:\n    task: Review\n    adopt: codesess_1\n'
		);
	});

	it('adds sessions: to a file without one, and a last line without a line break', () => {
		expect(appended('version: 1\nstack: a')).toBe(
			'version: 1\nstack: a\nsessions:\n  review:\n    task: Review\n    adopt: codesess_1\n'
		);
		expect(appended('version: 1\nstack: a\nsessions:\n  x:\n    task: X')).toBe(
			'version: 1\nstack: a\nsessions:\n  x:\n    task: X\n\n  review:\n    task: Review\n    adopt: codesess_1\n'
		);
	});

	it('refuses a key the file declares already, and a flow mapping it cannot add to', () => {
		expect(appendEntries('sessions:\n  review:\n    task: R\n', ENTRY, 'f.yaml')).toEqual({
			ok: false,
			message: 'f.yaml already declares review',
		});
		expect(appendEntries('sessions: {x: {task: X}}\n', ENTRY, 'f.yaml')).toMatchObject({
			ok: false,
		});
	});
});
