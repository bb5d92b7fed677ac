import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import {
	parseTemplate,
	resolveTemplate,
	templateProblems,
	templateReferences,
} from '../../src/kinds/session/env-template.js';

describe('parseTemplate', () => {
	it.each([
		['plain text', [{ kind: 'text', text: 'plain text' }]],
		['${TOKEN}', [{ kind: 'ref', name: 'TOKEN' }]],
		[
			'Bearer ${TOKEN}!',
			[
				{ kind: 'text', text: 'Bearer ' },
				{ kind: 'ref', name: 'TOKEN' },
				{ kind: 'text', text: '!' },
			],
		],
		['$${HOME} and $5 and $$PATH', [{ kind: 'text', text: '${HOME} and $5 and $PATH' }]],
		[
			'${A}${_b2}',
			[
				{ kind: 'ref', name: 'A' },
				{ kind: 'ref', name: '_b2' },
			],
		],
		['', []],
	])('%j', (template, parts) => {
		expect(parseTemplate(template)).toEqual({ ok: true, parts });
	});

	it('reports invalid names, empty references and an unclosed ${', () => {
		expect(templateProblems('${1A}')).toEqual([
			'invalid variable name "1A" in "${1A}": use letters, digits and underscores, not starting with a digit (or "$${" for a literal "${")',
		]);
		expect(templateProblems('${}')).toEqual([
			'empty reference "${}": write ${NAME}, or "$${" for a literal "${"',
		]);
		expect(templateProblems('a ${B')).toEqual(['unclosed "${" (write "$${" for a literal "${")']);
		expect(templateProblems('${A-B} ${C.D}')).toHaveLength(2);
		expect(templateProblems('fine ${OK}')).toEqual([]);
	});
});

describe('templateReferences', () => {
	it('lists each variable once, in order', () => {
		expect(templateReferences('${B}:${A}:${B}:$${C}')).toEqual(['B', 'A']);
		expect(templateReferences('${1A}')).toEqual([]);
	});
});

describe('resolveTemplate', () => {
	it('fills in references and unescapes $${', () => {
		expect(resolveTemplate('Bearer ${TOKEN} $${X}', { TOKEN: 's3cret' })).toEqual({
			value: 'Bearer s3cret ${X}',
		});
	});

	it('uses an empty value but reports unset variables', () => {
		expect(resolveTemplate('${A}${B}', { A: '', B: 'b' })).toEqual({ value: 'b' });
		expect(resolveTemplate('${A}-${B}-${A}', { B: 'b' })).toEqual({ missing: ['A'] });
	});

	it('refuses an invalid template with a UserError', () => {
		expect(() => resolveTemplate('${1A}', {})).toThrow(UserError);
	});
});
