import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSpecError, loadSpec, parseSpec } from '../../src/spec/index.js';
import { renderSpecErrors } from '../../src/spec/errors.js';
import { literalText, substitute } from '../../src/spec/templates/substitute.js';
import type { SpecVarInputs, VarOverride } from '../../src/spec/templates/vars.js';

const examples = fileURLToPath(new URL('../../examples/templated/', import.meta.url));

function specOf(text: string, overrides: readonly VarOverride[] = []) {
	const result = parseSpec([{ file: 'spec.yaml', text }], undefined, overrides);
	if (!result.ok) throw new Error(result.errors.map(formatSpecError).join('\n'));
	return result.spec;
}

function errorsOf(text: string, overrides: readonly VarOverride[] = []): string[] {
	const result = parseSpec([{ file: 'spec.yaml', text }], undefined, overrides);
	if (result.ok) throw new Error('expected the spec to be invalid');
	return result.errors.map(formatSpecError);
}

const override = (name: string, value: unknown): VarOverride => ({
	name,
	value,
	origin: 'var',
	given: `--var ${name}=${String(value)}`,
});

const SHARDS = `version: 1
stack: migration-\${var.env}
vars:
  env: staging
  visibility: private
sessions:
  shard:
    forEach:
      billing: { repo: acme/billing, owner: "@pay" }
      search: { repo: acme/search, owner: "@find" }
    task: Migrate \${each.key} to the new queue in \${var.env}.
    label: Migrate \${each.key}
    repo: \${each.value.repo}
    visibility: \${var.visibility}
    metadata:
      owner: \${each.value.owner}
`;

describe('forEach and vars', () => {
	it('expands one entry per item, keyed ENTRY.ITEM, with each and var filled in', () => {
		const spec = specOf(SHARDS);
		expect(spec.stack).toBe('migration-staging');
		expect(spec.sessions.map((session) => session.key)).toEqual(['shard.billing', 'shard.search']);
		const [billing] = spec.sessions;
		expect(billing).toMatchObject({
			template: 'shard',
			task: 'Migrate billing to the new queue in staging.',
			label: 'Migrate billing',
			repo: { owner: 'acme', name: 'billing' },
			visibility: 'private',
			metadata: { owner: '@pay' },
			source: { file: 'spec.yaml', line: 7, column: 3 },
		});
	});

	it('leaves a plain entry without a template', () => {
		const spec = specOf('version: 1\nstack: s\nsessions:\n  one: { task: t }\n');
		expect(spec.sessions[0]).not.toHaveProperty('template');
		expect(spec).not.toHaveProperty('vars');
	});

	it('takes a list of strings as items whose key is their value', () => {
		const spec = specOf(
			'version: 1\nstack: s\nsessions:\n  review:\n    forEach: [api, web]\n    task: Review ${each.value} (${each.key})\n'
		);
		expect(spec.sessions.map((session) => [session.key, session.task])).toEqual([
			['review.api', 'Review api (api)'],
			['review.web', 'Review web (web)'],
		]);
	});

	it('takes its items from a var, which an override replaces whole', () => {
		const text =
			'version: 1\nstack: s\nvars:\n  shards: [a, b, c]\nsessions:\n  x:\n    forEach: ${var.shards}\n    task: t ${each.key}\n';
		expect(specOf(text).sessions.map((session) => session.key)).toEqual(['x.a', 'x.b', 'x.c']);
		expect(
			specOf(text, [override('shards', ['d'])]).sessions.map((session) => session.key)
		).toEqual(['x.d']);
	});

	it('gives keys from item keys: reordering the items gives the same entries', () => {
		const reordered = SHARDS.replace(
			'      billing: { repo: acme/billing, owner: "@pay" }\n      search: { repo: acme/search, owner: "@find" }',
			'      search: { repo: acme/search, owner: "@find" }\n      billing: { repo: acme/billing, owner: "@pay" }'
		);
		expect(reordered).not.toBe(SHARDS);
		const strip = (text: string) =>
			specOf(text).sessions.map(({ source: _source, ...session }) => session);
		expect(strip(reordered)).toEqual(strip(SHARDS));
	});

	it('reads nested fields with dots', () => {
		const spec = specOf(
			'version: 1\nstack: s\nsessions:\n  x:\n    forEach:\n      a: { team: { name: pay } }\n    task: for ${each.value.team.name}\n'
		);
		expect(spec.sessions[0]?.task).toBe('for pay');
	});

	it('keeps ${NAME} in env for apply time, and $${ as a literal', () => {
		const spec = specOf(
			[
				'version: 1',
				'stack: s',
				'vars: { region: eu }',
				'sessions:',
				'  x:',
				'    task: "cost $${var.region} and ${HOME}"',
				'    env:',
				'      TOKEN: ${TOKEN}',
				'      REGION: ${var.region}',
				'      LITERAL: $${TOKEN}',
				'',
			].join('\n')
		);
		expect(spec.sessions[0]?.task).toBe('cost ${var.region} and ${HOME}');
		expect(spec.sessions[0]?.env).toEqual({
			TOKEN: '${TOKEN}',
			REGION: 'eu',
			LITERAL: '$${TOKEN}',
		});
	});

	it('fills vars into stack, defaults and plain entries, numbers as text', () => {
		const spec = specOf(
			'version: 1\nstack: app-${var.env}\nvars: { env: qa, n: 3 }\ndefaults:\n  metadata: { env: "${var.env}" }\nsessions:\n  one:\n    task: run ${var.n} times\n'
		);
		expect(spec.stack).toBe('app-qa');
		expect(spec.sessions[0]).toMatchObject({ task: 'run 3 times', metadata: { env: 'qa' } });
		expect(spec.vars).toEqual({
			env: { value: 'qa', origin: 'vars' },
			n: { value: 3, origin: 'vars' },
		});
	});
});

describe('template errors, located at the template and naming the item', () => {
	const cases: Record<string, { text: string; errors: string[] }> = {
		'an undefined var': {
			text: 'version: 1\nstack: s\nvars: { env: qa }\nsessions:\n  one:\n    task: in ${var.evn}\n',
			errors: [
				'spec.yaml:6:11: sessions.one.task: undefined var "evn": declare it under vars: (did you mean "env"?); declared: env',
			],
		},
		'an undefined field': {
			text: 'version: 1\nstack: s\nsessions:\n  x:\n    forEach:\n      a: { repo: r }\n    task: ${each.value.owner}\n',
			errors: [
				'spec.yaml:7:11: sessions.x.task: ${each.value.owner}: item "a" has no field "owner"; it has repo',
			],
		},
		'each outside forEach': {
			text: 'version: 1\nstack: s\nsessions:\n  one:\n    task: ${each.key}\n',
			errors: [
				'spec.yaml:5:11: sessions.one.task: ${each.key} is outside forEach: each.key and each.value exist only in an entry with forEach',
			],
		},
		'an empty forEach': {
			text: 'version: 1\nstack: s\nsessions:\n  x:\n    forEach: {}\n    task: t\n',
			errors: [
				'spec.yaml:5:14: sessions.x.forEach: forEach of "x" has no items; an entry that expands to nothing would remove every session it made. Delete the entry to remove them',
			],
		},
		'an invalid item key': {
			text: 'version: 1\nstack: s\nsessions:\n  x:\n    forEach:\n      Billing: {}\n    task: t\n',
			errors: [
				'spec.yaml:6:7: sessions.x.forEach.Billing: forEach item "Billing" of "x" makes the key "x.Billing", which is not valid: use up to 63 lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit',
			],
		},
		'two expansions making one key': {
			text: 'version: 1\nstack: s\nsessions:\n  a:\n    forEach: [b.c]\n    task: t\n  a.b:\n    forEach: [c]\n    task: t\n',
			errors: [
				'spec.yaml:8:15: sessions["a.b"].forEach[0]: forEach item "c" of "a.b" makes the key "a.b.c", which forEach item "b.c" of "a" already makes; keys must be unique',
			],
		},
		'an expansion making the key of a plain entry': {
			text: 'version: 1\nstack: s\nsessions:\n  a.b: { task: t }\n  a:\n    forEach: [b]\n    task: t\n',
			errors: [
				'spec.yaml:6:15: sessions.a.forEach[0]: forEach item "b" of "a" makes the key "a.b", which the entry "a.b" written in this file already makes; keys must be unique',
			],
		},
		'a list var in text': {
			text: 'version: 1\nstack: s\nvars: { l: [a] }\nsessions:\n  one:\n    task: ${var.l}\n',
			errors: [
				'spec.yaml:6:11: sessions.one.task: ${var.l}: var "l" is a list; only text, a number or a boolean can be put into a string',
			],
		},
		'a placeholder in a key, which is never filled in': {
			text: 'version: 1\nstack: s\nvars: { k: owner }\nsessions:\n  x:\n    forEach: [a]\n    task: t\n    metadata:\n      ${var.k}: v\n      team-${each.key}: v\n      $${var.k}: v\n',
			errors: [
				'spec.yaml:9:7: sessions.x.metadata["${var.k}"]: the key "${var.k}" holds a placeholder, but placeholders are filled into values only, never into keys; write the key as text',
				'spec.yaml:10:7: sessions.x.metadata["team-${each.key}"]: the key "team-${each.key}" holds a placeholder, but placeholders are filled into values only, never into keys; write the key as text',
			],
		},
		'a schema error in an expanded entry': {
			text: 'version: 1\nstack: s\nsessions:\n  x:\n    forEach: [a]\n    task: t\n    visibility: ${each.key}\n',
			errors: [
				'spec.yaml:7:17: sessions["x.a"].visibility: expected one of private, organization, collaborate (got "a")',
			],
		},
	};
	for (const [name, { text, errors }] of Object.entries(cases)) {
		it(name, () => {
			expect(errorsOf(text)).toEqual(errors);
		});
	}

	it('refuses vars that fill a string past 16 MiB, at the string, before building it', () => {
		// 1 MiB of text, filled in 17 times: each reference is small, the text it makes is not.
		const big = 'x'.repeat(1024 * 1024);
		const text = `version: 1\nstack: s\nvars:\n  big: ${big}\nsessions:\n  one:\n    task: "${'${var.big}'.repeat(17)}"\n`;
		expect(errorsOf(text)).toEqual([
			'spec.yaml:7:11: sessions.one.task: filling in ${var.*} and ${each.*} here takes the file past 16 MiB of text; a spec file may expand to at most 16 MiB',
		]);
	});

	it('counts the text vars fill in across the whole file, not per string', () => {
		const big = 'x'.repeat(1024 * 1024);
		const entries = Array.from(
			{ length: 17 },
			(_, index) => `  e${index}:\n    task: \${var.big}\n`
		).join('');
		const text = `version: 1\nstack: s\nvars:\n  big: ${big}\nsessions:\n${entries}`;
		expect(errorsOf(text)).toEqual([
			'spec.yaml:39:11: sessions.e16.task: filling in ${var.*} and ${each.*} here takes the file past 16 MiB of text; a spec file may expand to at most 16 MiB',
		]);
	});

	it('refuses an override of a var no file declares', () => {
		expect(
			errorsOf('version: 1\nstack: s\nvars: { env: qa }\nsessions: {}\n', [override('evn', 'x')])
		).toEqual([
			'--var evn=x: no var "evn" is declared under vars: in the spec (did you mean "env"?); declared: env',
		]);
	});
});

describe('--var and --var-file', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'templates-'));
		await writeFile(join(dir, 'bad.yaml'), '- a\n');
		await writeFile(join(dir, 'typo.yaml'), 'env: prod\nvisibilty: organization\n');
		await mkdir(join(dir, 'vars'));
		await writeFile(join(dir, 'escape.yaml'), 'env: "a\\e[31m"\nvisibility: !!binary aGk=\n');
		await writeFile(join(dir, 'huge.yaml'), `env: ${'x'.repeat(6 * 1024 * 1024)}\n`);
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));

	const load = (vars: SpecVarInputs) =>
		loadSpec([join(examples, 'sessions.yaml')], { cwd: dir, vars });

	it('takes --var over --var-file over vars:', async () => {
		const defaults = await load({});
		const fromFile = await load({ files: [join(examples, 'prod.yaml')] });
		const both = await load({ files: [join(examples, 'prod.yaml')], assignments: ['env=qa'] });
		if (!defaults.ok || !fromFile.ok || !both.ok) throw new Error('expected valid specs');
		expect(defaults.spec.stack).toBe('migration-staging');
		expect(fromFile.spec.stack).toBe('migration-prod');
		expect(fromFile.spec.sessions.map((session) => session.key)).toEqual([
			'review.api',
			'runbook',
			'shard.billing',
		]);
		expect(both.spec.stack).toBe('migration-qa');
		expect(both.spec.vars?.['visibility']).toEqual({
			value: 'organization',
			origin: 'var-file',
			file: join(examples, 'prod.yaml'),
		});
	});

	it('refuses a var file that is not a regular file or too large, without offering standard input', async () => {
		const result = await load({ files: ['vars', 'huge.yaml'] });
		if (result.ok) throw new Error('expected errors');
		expect(result.errors.map(formatSpecError)).toEqual([
			'vars: --var-file: not a regular file (a directory); give a file',
			'huge.yaml: --var-file: file is too large (6.0 MiB; a var file may be at most 5 MiB)',
		]);
	});

	it('refuses control characters in var values, as in the spec, and prints none it was given', async () => {
		const result = await load({
			files: ['escape.yaml'],
			assignments: ['env=a\u001b[31mb', 'e\u001b[2J=1'],
		});
		if (result.ok) throw new Error('expected errors');
		expect(renderSpecErrors(result.errors)).toBe(
			[
				'--var env=a\\u001b[31mb: the value contains the control character U+001B; only printable text, tabs and line breaks are allowed',
				'--var e\\u001b[2J=1: invalid var name "e\\u001b[2J": use letters, digits and underscores, not starting with a digit',
				'escape.yaml:1:6: env: contains the control character U+001B; only printable text, tabs and line breaks are allowed',
				'escape.yaml:2:13: visibility: unsupported tag !!binary: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood)',
				'4 errors in --var env=a\\u001b[31mb, --var e\\u001b[2J=1, escape.yaml',
				'',
			].join('\n')
		);
	});

	it('reports a malformed --var, an unreadable or invalid var file, an undeclared var', async () => {
		const result = await load({
			assignments: ['env', '1x=2'],
			files: ['missing.yaml', 'bad.yaml', 'typo.yaml'],
		});
		if (result.ok) throw new Error('expected errors');
		expect(result.errors.map(formatSpecError).sort()).toEqual(
			[
				'--var env: has no value: write --var NAME=VALUE',
				'--var 1x=2: invalid var name "1x": use letters, digits and underscores, not starting with a digit',
				'missing.yaml: --var-file: file not found',
				'bad.yaml:1:1: expected a mapping of var names to values (NAME: VALUE) at the top level (got a list)',
				'typo.yaml:2:1: visibilty: no var "visibilty" is declared under vars: in the spec (did you mean "visibility"?); declared: env, reviewers, shards, visibility',
			].sort()
		);
	});
});

describe('text written so that the spec reads it back as it is (export)', () => {
	const TOKENS = ['$', '{', '}', 'x', '${var.a}', '${each.key}', '${NAME}'];
	const texts = (length: number): string[] =>
		length === 0 ? [''] : texts(length - 1).flatMap((text) => TOKENS.map((token) => text + token));

	it('reads back every text of up to four pieces, or says none can be written', () => {
		for (const text of [0, 1, 2, 3, 4].flatMap(texts)) {
			const written = literalText(text);
			if (written === undefined) {
				// Only a "{" after an even number of "$" is out of reach: "$${" always reads "${".
				expect(text, text).toMatch(/(?:^|[^$])(?:\$\$)+\{/);
				continue;
			}
			expect(substitute(written, { vars: new Map() }), text).toEqual({
				ok: true,
				value: text,
				changed: written !== text,
			});
		}
	});
});
