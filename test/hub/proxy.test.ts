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
			'http://[0:0:0:0:0:0:0:1]:4100',
			'http://[::ffff:127.0.0.1]:4100',
			'http://localhost.:4100',
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

describe('NO_PROXY, read as Go (and so Terraform and kubectl) reads it', () => {
	const proxy = { HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128' };
	const excludes = (noProxy: string, url: string) =>
		routed({ ...proxy, NO_PROXY: noProxy }, url) === 'excludedBy';

	it('takes CIDR blocks, IPv4 and IPv6', () => {
		expect(excludes('10.0.0.0/8', 'http://10.20.30.40:4100')).toBe(true);
		expect(excludes('10.0.0.0/8', 'http://11.0.0.1:4100')).toBe(false);
		expect(excludes('192.168.0.0/16,172.16.0.0/12', 'https://192.168.7.9')).toBe(true);
		expect(excludes('192.168.0.0/16,172.16.0.0/12', 'https://172.31.0.1')).toBe(true);
		expect(excludes('192.168.0.0/16,172.16.0.0/12', 'https://172.32.0.1')).toBe(false);
		expect(excludes('fd00::/8', 'https://[fd12::5]')).toBe(true);
		expect(excludes('fd00::/8', 'https://[fe80::5]')).toBe(false);
	});

	it('takes IP addresses, with a port or not, IPv6 bracketed or bare', () => {
		expect(excludes('10.0.0.5', 'http://10.0.0.5:4100')).toBe(true);
		expect(excludes('10.0.0.5:4100', 'http://10.0.0.5:4100')).toBe(true);
		expect(excludes('10.0.0.5:4100', 'http://10.0.0.5:4200')).toBe(false);
		expect(excludes('10.0.0.5', 'http://10.0.0.50:4100')).toBe(false);
		for (const entry of ['fd00::1', '[fd00::1]', '[fd00::1]:4100', 'FD00:0:0::1', '[fd00::1]:443'])
			expect(excludes(entry, 'http://[fd00::1]:4100'), entry).toBe(entry !== '[fd00::1]:443');
		expect(excludes('fd00::1', 'http://[fd00::2]:4100')).toBe(false);
	});

	it('forgives case, spaces, trailing dots and empty items', () => {
		expect(excludes(' Internal.CORP ', 'https://hub.internal.corp')).toBe(true);
		expect(excludes(',,internal.corp,,', 'https://internal.corp')).toBe(true);
		expect(excludes('internal.corp.', 'https://hub.internal.corp')).toBe(true);
		expect(excludes('internal.corp', 'https://hub.internal.corp.')).toBe(true);
		expect(excludes('.internal.corp.', 'https://internal.corp')).toBe(false);
		expect(excludes('*.internal.corp', 'https://hub.internal.corp')).toBe(true);
		expect(excludes('*.internal.corp', 'https://internal.corp')).toBe(false);
	});

	it('keeps an IPv6 block to IPv6 addresses, as Go does', () => {
		expect(excludes('::/0', 'http://10.1.2.3:4100')).toBe(false);
		expect(excludes('::/0', 'http://[fd00::1]:4100')).toBe(true);
		expect(excludes('0.0.0.0/0', 'http://[fd00::1]:4100')).toBe(false);
	});

	it('takes an international domain as its URL is written (punycode)', () => {
		expect(excludes('bücher.example', 'https://hub.bücher.example')).toBe(true);
		expect(excludes('.BÜCHER.example', 'https://hub.xn--bcher-kva.example')).toBe(true);
	});

	it('counts an empty variable as unset, as Go does: its other case still applies', () => {
		expect(
			routed({ ...proxy, no_proxy: '', NO_PROXY: 'internal.corp' }, 'https://internal.corp')
		).toBe('excludedBy');
		expect(
			routed({ https_proxy: ' ', HTTPS_PROXY: 'http://proxy.corp:3128' }, 'https://hub.corp')
		).toBe('HTTPS_PROXY');
	});

	it('takes * among other entries as every host', () => {
		expect(excludes('internal.corp, *', 'https://hub.agentuity.cloud')).toBe(true);
		expect(excludes('*,10.0.0.0/8', 'http://hub.test:4100')).toBe(true);
	});

	it('does not take a domain for a part of a name or an address', () => {
		expect(excludes('corp', 'https://hub.notcorp')).toBe(false);
		expect(excludes('0.0.5', 'http://10.0.0.5:4100')).toBe(false);
		expect(excludes(':1', 'http://[fd00::1]:4100')).toBe(false);
	});
});
