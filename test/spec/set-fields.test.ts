/**
 * drift --write's edits of a spec file: fmt's layout, and only the lines a value changes. What the
 * file's defaults already give an entry is not copied into it.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatSpecText } from '../../src/spec/format.js';
import { parseSpec } from '../../src/spec/merge.js';
import { setEntryFields, type FieldValue } from '../../src/spec/set-fields.js';

/** A spec in fmt's layout, as `fmt` leaves it. */
const SPEC = `version: 1
stack: docs-team # one stack

defaults:
  visibility: org
  tags: [docs, managed]
  metadata:
    team: docs

sessions:
  # The docs pipeline.
  docs:
    task: Keep the docs current
    label: Docs bot # the name people see
    tags: [nightly]
    enabledAgents:
      - lead
      - scout
    metadata:
      ticket: DOCS-1

  sdk:
    task: |
      Lint the SDK
      and report.
    # why it is pinned
    repo: agentuity/sdk#main
`;

const set = (text: string, values: FieldValue[]) => setEntryFields(text, values);

/** The lines of `after` that are not lines of `before` at the same place, and the reverse. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
	const a = before.split('\n');
	const b = after.split('\n');
	let head = 0;
	while (head < a.length && a[head] === b[head]) head += 1;
	let tail = 0;
	while (tail < a.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
	return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

const formatted = (text: string) => {
	const result = formatSpecText(text, 'sessions.yaml');
	if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
	return result.text;
};

describe('setEntryFields', () => {
	it('the example spec is in fmt layout to start with', () => {
		expect(formatted(SPEC)).toBe(SPEC);
	});

	it('replaces a value in place, keeping the comment after it', () => {
		const { text } = set(SPEC, [{ key: 'docs', path: ['label'], value: 'Docs (renamed)' }]);
		expect(changedLines(SPEC, text)).toEqual({
			removed: ['    label: Docs bot # the name people see'],
			added: ['    label: Docs (renamed) # the name people see'],
		});
		expect(formatted(text)).toBe(text);
	});

	it('keeps a flow list in flow style, unpadded, and leaves the other lists alone', () => {
		const { text } = set(SPEC, [
			{ key: 'docs', path: ['tags'], value: ['docs', 'managed', 'nightly', 'urgent'] },
		]);
		expect(changedLines(SPEC, text)).toEqual({
			removed: ['    tags: [nightly]'],
			added: ['    tags: [nightly, urgent]'],
		});
		expect(text).toContain('  tags: [docs, managed]\n');
		expect(formatted(text)).toBe(text);
	});

	it('writes only the entry’s own tags: the defaults’ are unioned in by the spec', () => {
		const { text, written } = set(SPEC, [
			{ key: 'sdk', path: ['tags'], value: ['docs', 'managed', 'lint'] },
		]);
		expect(written).toHaveLength(1);
		expect(parse(text).sessions.sdk.tags).toEqual(['lint']);
		expect(formatted(text)).toBe(text);
		// Tags equal to the defaults' need nothing in the entry.
		const same = set(SPEC, [{ key: 'sdk', path: ['tags'], value: ['managed', 'docs'] }]);
		expect(same.text).toBe(SPEC);
	});

	it('cannot take a tag the defaults add out of one entry: it says so and writes nothing', () => {
		const { text, skipped, written } = set(SPEC, [
			{ key: 'docs', path: ['tags'], value: ['docs', 'nightly'] },
		]);
		expect(text).toBe(SPEC);
		expect(written).toEqual([]);
		expect(skipped).toEqual([expect.stringContaining('docs.tags: the Hub no longer has managed')]);
	});

	it('keeps a block list in block style', () => {
		const { text } = set(SPEC, [
			{ key: 'docs', path: ['enabledAgents'], value: ['lead', 'builder'] },
		]);
		expect(changedLines(SPEC, text)).toEqual({
			removed: ['      - scout'],
			added: ['      - builder'],
		});
		expect(formatted(text)).toBe(text);
	});

	it('adds a new field where fmt puts it, above the comment of the key that follows', () => {
		const { text } = set(SPEC, [
			{ key: 'sdk', path: ['label'], value: 'SDK lint' },
			{ key: 'sdk', path: ['visibility'], value: 'private' },
			{ key: 'sdk', path: ['defaultAgent'], value: 'scout' },
		]);
		expect(text).toContain(
			'      and report.\n    label: SDK lint\n    visibility: private\n    # why it is pinned\n    repo: agentuity/sdk#main\n    defaultAgent: scout\n'
		);
		expect(formatted(text)).toBe(text);
	});

	it('sets a metadata key in place, adds one after the last, and adds a metadata mapping', () => {
		const { text } = set(SPEC, [
			{ key: 'docs', path: ['metadata', 'ticket'], value: 'DOCS-2' },
			{ key: 'docs', path: ['metadata', 'owner'], value: '@docs' },
			{ key: 'sdk', path: ['metadata', 'ticket'], value: 'SDK-1' },
		]);
		expect(text).toContain("    metadata:\n      ticket: DOCS-2\n      owner: '@docs'\n\n  sdk:");
		expect(text).toContain('    repo: agentuity/sdk#main\n    metadata:\n      ticket: SDK-1\n');
		expect(formatted(text)).toBe(text);
		// A metadata value the defaults already give needs nothing in the entry.
		expect(set(SPEC, [{ key: 'sdk', path: ['metadata', 'team'], value: 'docs' }]).text).toBe(SPEC);
	});

	it('quotes a value as fmt does, and keeps every other byte of a file not in fmt layout', () => {
		const loose =
			'version: 1\nstack: a\nsessions:\n    x:\n        task: "X"   # quoted\n        tags: [ a ]\n';
		const { text } = set(loose, [{ key: 'x', path: ['label'], value: '@x' }]);
		expect(text).toBe(
			'version: 1\nstack: a\nsessions:\n    x:\n        task: "X"   # quoted\n        label: \'@x\'\n        tags: [ a ]\n'
		);
	});

	it('escapes Hub text the spec would read as a template, so the spec reads back what the Hub has', () => {
		const { text, skipped } = set(SPEC, [
			{ key: 'docs', path: ['label'], value: 'Docs for ${each.key}' },
			{ key: 'docs', path: ['tags'], value: ['docs', 'managed', '${var.t}'] },
			{ key: 'docs', path: ['metadata', 'ticket'], value: '${PATH} and $${x}' },
		]);
		expect(skipped).toEqual([
			'docs.metadata.ticket: the Hub\'s value holds "$${" (or "{" after another even number of "$"), which a spec string reads as "${"',
		]);
		expect(parse(text).sessions.docs).toMatchObject({
			label: 'Docs for $${each.key}',
			tags: ['$${var.t}'],
			metadata: { ticket: 'DOCS-1' },
		});
		const read = parseSpec([{ file: 'sessions.yaml', text }]);
		expect(read.ok && read.spec.sessions[0]).toMatchObject({
			label: 'Docs for ${each.key}',
			tags: ['docs', 'managed', '${var.t}'],
		});
		expect(formatted(text)).toBe(text);
	});

	it('writes a flow-style entry anew in block style', () => {
		const flow = 'version: 1\nstack: a\nsessions:\n  x: {task: X, label: Old}\n';
		const { text } = set(flow, [{ key: 'x', path: ['label'], value: 'New' }]);
		expect(parse(text).sessions.x).toEqual({ task: 'X', label: 'New' });
		expect(formatted(text)).toBe(text);
	});
});
