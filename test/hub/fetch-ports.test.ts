/**
 * `hub serve` refuses the ports fetch refuses: the list must be the one this Node's fetch (the
 * SDK's transport) enforces. Each fetch below is refused before any connection is made.
 */
import { describe, expect, it } from 'vitest';
import { fetchRefusedPorts, fetchRefusesPort } from '../../src/hub/fetch-ports.js';

/** Why fetch to 127.0.0.1:PORT failed, or 'answered'. */
async function fetchOutcome(port: number): Promise<string> {
	try {
		await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
		return 'answered';
	} catch (error) {
		const cause = (error as { cause?: { message?: string } }).cause;
		return cause?.message ?? String(error);
	}
}

describe('the ports fetch refuses', () => {
	it("are each refused by this Node's fetch as a bad port", async () => {
		const outcomes = await Promise.all(
			fetchRefusedPorts().map(async (port) => [port, await fetchOutcome(port)] as const)
		);
		expect(outcomes.filter(([, outcome]) => outcome !== 'bad port')).toEqual([]);
		expect(fetchRefusesPort(4190)).toBe(true);
	});

	it('leave the ports a Hub is served on alone', async () => {
		for (const port of [0, 80, 443, 3000, 4100, 8080]) expect(fetchRefusesPort(port)).toBe(false);
		expect(await fetchOutcome(4100)).not.toBe('bad port');
	});
});
