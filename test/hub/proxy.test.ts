import { describe, expect, it } from 'vitest';
import { describeRoute, proxySettingsOf, routeOf } from '../../src/hub/proxy.js';

const settings = (env: NodeJS.ProcessEnv) => proxySettingsOf(env)!;
const routed = (env: NodeJS.ProcessEnv, url: string) => {
	const route = routeOf(settings(env), url);
	return 'proxy' in route ? route.proxy.variable : Object.keys(route)[0];
};

describe('which Hub requests go through a proxy', () => {
	const proxy = { HTTPS_PROXY: 'http://proxy.corp:3128' };

	it('sends a Hub elsewhere through it', () => {
		expect(routed(proxy, 'https://hub.agentuity.cloud')).toBe('HTTPS_PROXY');
		expect(routed({ http_proxy: 'proxy.corp:3128' }, 'http://hub.corp:4100')).toBe('http_proxy');
	});

	it('never sends a Hub on this machine through it, as Terraform and kubectl do', () => {
		const env = { ...proxy, HTTP_PROXY: 'http://proxy.corp:3128' };
		for (const url of [
			'http://127.0.0.1:4100',
			'http://127.8.0.1:4100',
			'http://localhost:4100',
			'http://[::1]:4100',
			'https://hub.localhost',
		])
			expect(routed(env, url), url).toBe('loopback');
	});

	it('goes straight to the hosts NO_PROXY lists, a bare domain with its subdomains', () => {
		const env = { ...proxy, NO_PROXY: 'internal.corp, .svc.local,hub.example.com:8443' };
		expect(routed(env, 'https://internal.corp')).toBe('excludedBy');
		expect(routed(env, 'https://hub.internal.corp')).toBe('excludedBy');
		expect(routed(env, 'https://notinternal.corp')).toBe('HTTPS_PROXY');
		expect(routed(env, 'https://hub.svc.local')).toBe('excludedBy');
		expect(routed(env, 'https://svc.local')).toBe('HTTPS_PROXY');
		expect(routed(env, 'https://hub.example.com:8443')).toBe('excludedBy');
		expect(routed(env, 'https://hub.example.com')).toBe('HTTPS_PROXY');
		expect(routed({ ...proxy, no_proxy: '*' }, 'https://hub.agentuity.cloud')).toBe('excludedBy');
	});

	it('says with --verbose which way requests go', () => {
		const env = { ...proxy, NO_PROXY: 'internal.corp' };
		const say = (url: string) => describeRoute(routeOf(settings(env), url), new URL(url).origin);
		expect(say('https://hub.internal.corp')).toBe(
			'hub: NO_PROXY excludes https://hub.internal.corp: requests go to it directly, not through a proxy'
		);
		expect(say('https://hub.agentuity.cloud')).toBe(
			'hub: requests to https://hub.agentuity.cloud go through the proxy in HTTPS_PROXY (http://proxy.corp:3128)'
		);
	});
});
