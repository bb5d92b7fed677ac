import { BlockList, isIP } from 'node:net';

/** 127.0.0.0/8 and ::1; an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is checked as IPv4. */
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * Whether a URL's host is this machine: 127.0.0.0/8, ::1 (in any IPv6 form, an IPv4-mapped
 * 127.x too), `localhost` and its subdomains (which resolve to loopback). Such a Hub is never
 * reached through a proxy, and a key sent to it over plain http never crosses a network.
 */
export function isLoopbackHost(hostname: string): boolean {
	const name = hostname
		.toLowerCase()
		.replace(/\.$/, '')
		.replace(/^\[(.*)\]$/, '$1');
	if (name === 'localhost' || name.endsWith('.localhost')) return true;
	const version = isIP(name);
	return version !== 0 && loopback.check(name, version === 4 ? 'ipv4' : 'ipv6');
}
