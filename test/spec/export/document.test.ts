/**
 * The text `export` prints and `import` pastes: `fmt`'s layout (keys in the schema's order,
 * `adopt:` last), a blank line between entries, the header and each entry's notes as comments
 * (README "export details").
 */
import { describe, expect, it } from 'vitest';
import { entrySnippet, specDocument } from '../../../src/spec/export/document.js';
import type { ExportedEntry } from '../../../src/spec/export/entry.js';
import { formatSpecText } from '../../../src/spec/format.js';

const entry = (fields: Record<string, unknown>, notes: string[] = []): ExportedEntry => ({
	fields,
	envVariables: [],
	notes,
});

// Fields in an order other than the schema's, as a caller may build them.
const REVIEW = entry(
	{
		adopt: 'codesess_1',
		repos: [{ branch: 'main', name: 'app', owner: 'acme' }],
		metadata: { team: 'docs' },
		tags: ['docs'],
		task: 'Review.\nThen report.\n',
		label: 'Review',
	},
	['env.AUTH was applied from another template']
);
const PLAIN = entry({ task: 'Plain.' });

describe('the exported document', () => {
	it('writes the header as comments, the entries in fmt order, a blank line between them, notes above each', () => {
		const text = specDocument({
			stack: 'docs-team',
			prune: 'keep',
			header: ['First line.', 'Second line.'],
			entries: new Map([
				['review', REVIEW],
				['plain', PLAIN],
			]),
		});
		expect(text).toBe(
			[
				'# yaml-language-server: $schema=./node_modules/coder-sessions/schema/sessions.schema.json',
				'# First line.',
				'# Second line.',
				'',
				'version: 1',
				'stack: docs-team',
				'prune: keep',
				'sessions:',
				'  # env.AUTH was applied from another template',
				'  review:',
				'    task: |',
				'      Review.',
				'      Then report.',
				'    label: Review',
				'    tags:',
				'      - docs',
				'    repos:',
				'      - owner: acme',
				'        name: app',
				'        branch: main',
				'    metadata:',
				'      team: docs',
				'    adopt: codesess_1',
				'',
				'  plain:',
				'    task: Plain.',
				'',
			].join('\n')
		);
		expect(formatSpecText(text, 'export.yaml')).toMatchObject({ text });
	});

	it('writes prune only when the file holds part of the stack', () => {
		const text = specDocument({ stack: 'docs-team', header: [], entries: new Map() });
		expect(text).not.toContain('prune');
		expect(text).toContain('\nversion: 1\nstack: docs-team\nsessions: {}\n');
	});
});

describe('the entry import prints', () => {
	it('is the entry in fmt order, indented to paste under sessions:, its notes above it', () => {
		expect(entrySnippet('review', REVIEW)).toBe(
			[
				'  # env.AUTH was applied from another template',
				'  review:',
				'    task: |',
				'      Review.',
				'      Then report.',
				'    label: Review',
				'    tags:',
				'      - docs',
				'    repos:',
				'      - owner: acme',
				'        name: app',
				'        branch: main',
				'    metadata:',
				'      team: docs',
				'    adopt: codesess_1',
				'',
			].join('\n')
		);
	});
});
