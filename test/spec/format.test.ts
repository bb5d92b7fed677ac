import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSpecText } from '../../src/spec/format.js';
import { parseSpecText } from '../../src/spec/parse.js';
import { isMap, parseDocument, type Node } from 'yaml';
import { projectRoot } from '../support/cli.js';
import { seededRandom } from '../support/seeded-random.js';

function yamlFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return yamlFiles(path);
		return /\.ya?ml$/.test(entry.name) ? [path] : [];
	});
}

const isSpec = (text: string) => /^sessions:/m.test(text);
const specFiles = [
	...yamlFiles(join(projectRoot, 'examples')),
	...yamlFiles(join(projectRoot, 'test/fixtures/valid')),
	...yamlFiles(join(projectRoot, 'test/fixtures/docs-team')),
].filter((path) => isSpec(readFileSync(path, 'utf8')));

function format(text: string, file = 'sessions.yaml'): string {
	const result = formatSpecText(text, file);
	if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
	return result.text;
}

describe('fmt of every example spec and every valid fixture', () => {
	it('finds the specs', () => {
		expect(specFiles.map((path) => relative(projectRoot, path))).toContain(
			'examples/sessions.yaml'
		);
		expect(specFiles.length).toBeGreaterThan(8);
	});

	for (const path of specFiles) {
		const name = relative(projectRoot, path);
		const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');

		it(`${name}: formatting twice changes nothing more`, () => {
			const once = format(text, name);
			expect(format(once, name)).toBe(once);
		});

		it(`${name}: says the same after formatting, comments included`, () => {
			const once = format(text, name);
			const before = parseSpecText(text, name);
			const after = parseSpecText(once, name);
			expect(after.ok && before.ok && after.parsed.data).toEqual(before.ok && before.parsed.data);
			const comments = (source: string) =>
				source.match(/(?<=^|\s)#.*$/gm)?.map((comment) => comment.trim()) ?? [];
			expect(comments(once).sort()).toEqual(comments(text).sort());
		});
	}
});

/** Mappings whose order is the author's: fmt keeps it. */
const WRITTEN_ORDER = new Set(['sessions', 'metadata', 'env']);

/** The same spec with the keys of every schema-ordered mapping in a random order. */
function shuffled(text: string, random: () => number): string {
	const doc = parseDocument(text);
	const shuffle = (node: Node | null, key: string): void => {
		if (!isMap(node)) return;
		const items = [...node.items];
		for (let i = items.length - 1; i > 0 && !WRITTEN_ORDER.has(key); i -= 1) {
			const j = Math.floor(random() * (i + 1));
			[items[i], items[j]] = [items[j]!, items[i]!];
		}
		node.items = items;
		for (const pair of items) shuffle(pair.value as Node | null, String(pair.key));
	};
	shuffle(doc.contents as Node | null, '');
	return doc.toString();
}

describe('the canonical layout', () => {
	it('writes hidden characters and workflow commands escaped, as export does, and parses to the same values', () => {
		const text = [
			'version: 1',
			'stack: docs',
			'sessions:',
			'  review:',
			'    label: "Review \\u202Egnp.exe"',
			'    task: |',
			'      Check the docs.',
			'      ::error title=x::pwned',
			'    tags: ["##[warning]x", ok]',
			'',
		].join('\n');
		const formatted = format(text);
		expect(formatted).not.toMatch(/[\u202e]|^\s*::|##\[/mu);
		expect(formatted).toContain('label: "Review \\u202egnp.exe"');
		const before = parseSpecText(text, 's.yaml');
		const after = parseSpecText(formatted, 's.yaml');
		expect(before.ok && after.ok).toBe(true);
		if (before.ok && after.ok) expect(after.parsed.data).toEqual(before.parsed.data);
		expect(format(formatted)).toBe(formatted);
	});

	it('does not depend on the order keys are written in', () => {
		const full = readFileSync(join(projectRoot, 'test/fixtures/valid/full.yaml'), 'utf8')
			.split('\n')
			.filter((line) => !line.startsWith('#'))
			.join('\n');
		const canonical = format(full);
		const random = seededRandom(14);
		for (let round = 0; round < 20; round += 1) {
			const text = shuffled(full, random);
			expect(text).not.toBe(full);
			expect(format(text)).toBe(canonical);
		}
	});

	it('orders keys as the schema documents them, and keeps comments with their keys', () => {
		const text = [
			'# the docs team',
			'sessions:',
			'  review:',
			'    tags: ["docs"] # filters',
			'    repo: {name: sdk, owner: agentuity}',
			'    label: "Review"',
			'    # the prompt',
			'    task: Review the docs',
			'',
			'  env-entry:',
			'    env: {ZED: "1", ALPHA: "${TOKEN}"}',
			'    task: Uses env',
			'stack: docs',
			'defaults:',
			'    agent: lead',
			'    visibility: org',
			'version: 1',
			'',
		].join('\n');
		expect(format(text)).toBe(
			[
				'# the docs team',
				'version: 1',
				'stack: docs',
				'defaults:',
				'  visibility: org',
				'  agent: lead',
				'sessions:',
				'  review:',
				'    # the prompt',
				'    task: Review the docs',
				'    label: Review',
				'    tags: [docs] # filters',
				'    repo:',
				'      owner: agentuity',
				'      name: sdk',
				'',
				'  env-entry:',
				'    task: Uses env',
				'    env:',
				"      ZED: '1'",
				'      ALPHA: ${TOKEN}',
				'',
			].join('\n')
		);
	});

	it('keeps every comment, wherever written, and a second run changes nothing', () => {
		const text = [
			'# head',
			'',
			'sessions: # the sessions',
			'  # before a',
			'  a:',
			'    # before tags',
			'    tags: [x, y] # tags',
			'    # before task',
			'    task: "A"',
			'    # trailing in a',
			'  b: {task: B, label: "b"} # flow entry',
			'# before stack',
			'stack: odd',
			'version: 1 # v',
			'# end of file',
			'',
		].join('\n');
		const once = format(text);
		expect(format(once)).toBe(once);
		const comments = (source: string) => source.match(/#.*$/gm)?.sort();
		expect(comments(once)).toEqual(comments(text));
		expect(once).toMatch(
			/^# head\n\nversion: 1 # v\n# before stack\nstack: odd\nsessions: # the sessions\n {2}# before a\n/
		);
		expect(once).toContain(
			'    # before task\n    task: A\n    # before tags\n    tags: [x, y] # tags\n'
		);
		expect(once).toContain('  b: # flow entry\n    task: B\n    label: b\n');
		expect(once.endsWith('# end of file\n')).toBe(true);
	});

	it('keeps a comment on the line of a key whose value is a block, even when keys move', () => {
		const text = [
			'version: 1',
			'stack: docs',
			'defaults: # merged under every session',
			'  tags: [managed]',
			'  visibility: org',
			'sessions:',
			'  review: # the key',
			'    # the label',
			'    label: Review',
			'    task: Review',
			'',
		].join('\n');
		expect(format(text)).toBe(
			[
				'version: 1',
				'stack: docs',
				'defaults: # merged under every session',
				'  visibility: org',
				'  tags: [managed]',
				'sessions:',
				'  review: # the key',
				'    task: Review',
				'    # the label',
				'    label: Review',
				'',
			].join('\n')
		);
	});

	it('quotes only where YAML needs it, with single quotes', () => {
		const text = [
			'version: 1',
			"stack: 'docs'",
			'sessions:',
			'  a:',
			'    task: "it\'s: \\"quoted\\""',
			'    label: "@team"',
			'    visibility: " Collab "',
			'    metadata: {"tier": "2", owner: "it\'s"}',
			'    network: {enabled: True}',
			'    tags: []',
			'',
		].join('\n');
		expect(format(text)).toBe(
			[
				'version: 1',
				'stack: docs',
				'sessions:',
				'  a:',
				"    task: 'it''s: \"quoted\"'",
				"    label: '@team'",
				"    visibility: ' Collab '",
				'    tags: []',
				'    metadata:',
				"      tier: '2'",
				"      owner: it's",
				'    network:',
				'      enabled: true',
				'',
			].join('\n')
		);
	});

	it('keeps block scalars and long lines as they are', () => {
		const long = `task: ${'word '.repeat(40).trim()}`;
		const text = `version: 1\nstack: docs\nsessions:\n  a:\n    ${long}\n  b:\n    task: >\n      folded\n      text\n`;
		expect(format(text)).toBe(text);
	});

	it('indents by two spaces, folded scalars included, keeping their line breaks', () => {
		const text = [
			'version: 1',
			'stack: docs',
			'sessions:',
			'    a:',
			'        task: >- # prose',
			'            folded',
			'              more indented',
			'',
			'            next paragraph',
			'        tags:',
			'        -   docs',
			'',
		].join('\n');
		expect(format(text)).toBe(
			[
				'version: 1',
				'stack: docs',
				'sessions:',
				'  a:',
				'    task: >- # prose',
				'      folded',
				'        more indented',
				'',
				'      next paragraph',
				'    tags:',
				'      - docs',
				'',
			].join('\n')
		);
	});

	it('leaves the top-level order alone when moving a key would put an alias above its anchor', () => {
		const text = [
			'version: 1',
			'stack: docs',
			'sessions:',
			'  a:',
			'    task: Shared',
			'    tags: &tags [x]',
			'defaults:',
			'  tags: *tags',
			'',
		].join('\n');
		const once = format(text);
		expect(once).toBe(text);
		expect(format(once)).toBe(once);
	});

	it('reports invalid YAML and schema errors with their position, and formats nothing', () => {
		const syntax = formatSpecText('version: 1\nstack: docs\nsessions: [\n', 'bad.yaml');
		expect(syntax.ok).toBe(false);
		expect(!syntax.ok && syntax.errors[0]).toMatchObject({ file: 'bad.yaml', at: { line: 3 } });
		const schema = formatSpecText(
			'version: 1\nstack: docs\nsessions:\n  a:\n    task: t\n    bogus: 1\n',
			'bad.yaml'
		);
		expect(!schema.ok && schema.errors[0]).toMatchObject({
			at: { line: 6, column: 5 },
			path: ['sessions', 'a', 'bogus'],
		});
	});
});
