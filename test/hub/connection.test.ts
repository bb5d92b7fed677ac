import { describe, expect, it } from 'vitest';
import { keyInClearWarning, resolveConnection } from '../../src/hub/connection.js';

const KEY = 'sk_live_cred_0123456789abcdef';

function warningFor(url: string, env: NodeJS.ProcessEnv = { AGENTUITY_SDK_KEY: KEY }) {
	return keyInClearWarning(resolveConnection({ url }, env));
}

describe('the API key sent over plain http', () => {
	it('to a host other than this machine draws a warning naming the host, never the key', () => {
		for (const url of [
			'http://hub.example.com',
			'http://10.0.0.7:4100',
			'HTTP://Hub.Example.com/x',
		]) {
			const warning = warningFor(url);
			expect(warning).toMatch(
				/^warning: the API key \(AGENTUITY_SDK_KEY\) is sent unencrypted to http:\/\/[^ ]+: use https:\/\//
			);
			expect(warning).not.toContain(KEY);
		}
		expect(warningFor('http://10.0.0.7:4100', { AGENTUITY_CLI_KEY: KEY })).toContain(
			'(AGENTUITY_CLI_KEY)'
		);
	});

	it('to this machine (loopback), over https, or without a key, draws none', () => {
		for (const url of [
			'http://127.0.0.1:4100',
			'http://127.1.2.3:4100',
			'http://localhost:4100',
			'http://hub.localhost',
			'http://[::1]:4100',
			'https://hub.example.com',
		]) {
			expect(warningFor(url)).toBeUndefined();
		}
		expect(warningFor('http://hub.example.com', {})).toBeUndefined();
	});
});

describe('the region', () => {
	it('is checked only where discovery uses it: with a URL, AGENTUITY_REGION is left alone', () => {
		const env = { AGENTUITY_SDK_KEY: KEY, AGENTUITY_REGION: 'not a region/#' };
		expect(() => resolveConnection({ url: 'http://127.0.0.1:4100' }, env)).not.toThrow();
		expect(() => resolveConnection({}, env)).toThrow(
			/AGENTUITY_REGION "not a region\/#" is not a region/
		);
		expect(resolveConnection({ region: ' use ' }, { AGENTUITY_SDK_KEY: KEY }).region).toBe('use');
	});
});
