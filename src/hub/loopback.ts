/**
 * Whether a URL's host is this machine: 127.0.0.0/8, ::1, `localhost` and its subdomains (which
 * resolve to loopback). Such a Hub is never reached through a proxy, and a key sent to it over
 * plain http never crosses a network.
 */
export function isLoopbackHost(hostname: string): boolean {
	const name = hostname.toLowerCase().replace(/\.$/, '');
	return (
		name === 'localhost' ||
		name.endsWith('.localhost') ||
		name === '[::1]' ||
		/^127\.\d+\.\d+\.\d+$/.test(name)
	);
}
