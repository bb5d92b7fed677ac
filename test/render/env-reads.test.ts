import { describe, expect, it } from 'vitest';
import { maskedEnvText } from '../../src/render/env-reads.js';

describe('an env value in a plan', () => {
	it('is masked, naming the variables its template reads and never its literal text', () => {
		expect(maskedEnvText(undefined, 'Bearer ${DOCS_TOKEN}')).toBe('(sensitive; reads DOCS_TOKEN)');
		expect(maskedEnvText('changed', '${AGENTUITY_SDK_KEY}')).toBe(
			'(sensitive, changed; reads AGENTUITY_SDK_KEY)'
		);
		expect(maskedEnvText(undefined, 'literal-secret-text')).toBe('(sensitive)');
		expect(maskedEnvText('changed', 'a $${NOT_READ} b')).toBe('(sensitive, changed)');
		expect(maskedEnvText(undefined, undefined)).toBe('(sensitive)');
	});

	it('names each variable once, five at most, and counts the rest', () => {
		const template = ['A', 'B', 'A', 'C', 'D', 'E', 'F', 'G']
			.map((name) => `\${${name}}`)
			.join('-');
		expect(maskedEnvText(undefined, template)).toBe('(sensitive; reads A, B, C, D, E and 2 more)');
	});
});
