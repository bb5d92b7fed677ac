import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, redact, registerSecrets } from '../../src/secrets/redact.js';

afterEach(clearSecrets);

describe('redact', () => {
	it('replaces a value of 4+ characters wherever it occurs, also JSON-escaped', () => {
		registerSecrets(['s3cr3t', 'quo"te\\']);
		expect(redact('token=s3cr3t; again s3cr3t')).toBe('token=[redacted]; again [redacted]');
		expect(redact(JSON.stringify({ env: { A: 'quo"te\\' } }))).toBe('{"env":{"A":"[redacted]"}}');
		// JSON inside a JSON string (an error body quoted in another error body).
		const nested = JSON.stringify({ message: JSON.stringify({ A: 'quo"te\\' }) });
		expect(redact(nested)).not.toContain('quo');
	});

	it('replaces a short value only as a whole JSON string or quoted token', () => {
		registerSecrets(['a', '123']);
		expect(redact('{"env":{"X":"a","Y":"123"}}')).toBe(
			'{"env":{"X":"[redacted]","Y":"[redacted]"}}'
		);
		expect(redact("value '123' rejected")).toBe("value '[redacted]' rejected");
		expect(redact('a plan of 1234 sessions and 123 keys')).toBe(
			'a plan of 1234 sessions and 123 keys'
		);
	});

	it('replaces the longest value first and ignores empty values', () => {
		registerSecrets(['', 'abcd', 'abcdefgh']);
		expect(redact('abcdefgh abcd')).toBe('[redacted] [redacted]');
		expect(redact('nothing here')).toBe('nothing here');
	});
});
