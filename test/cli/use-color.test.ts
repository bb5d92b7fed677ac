import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { useColor } from '../../src/cli/flags/output.js';

function io(isTTY: boolean, env: NodeJS.ProcessEnv): Io {
	return { out: () => {}, err: () => {}, isTTY, env, cwd: '/' };
}

describe('when output is coloured', () => {
	it('colours a terminal, not a pipe', () => {
		expect(useColor(io(true, {}), undefined)).toBe(true);
		expect(useColor(io(false, {}), undefined)).toBe(false);
	});

	it('colours without a terminal when FORCE_COLOR is set and not 0', () => {
		for (const value of ['1', '2', '3', 'true', ''])
			expect(useColor(io(false, { FORCE_COLOR: value }), undefined), value).toBe(true);
		for (const value of ['0', 'false'])
			expect(useColor(io(false, { FORCE_COLOR: value }), undefined), value).toBe(false);
	});

	it('does not colour a dumb terminal (TERM=dumb), unless FORCE_COLOR says so', () => {
		expect(useColor(io(true, { TERM: 'dumb' }), undefined)).toBe(false);
		expect(useColor(io(true, { TERM: 'dumb', FORCE_COLOR: '1' }), undefined)).toBe(true);
		expect(useColor(io(true, { TERM: 'xterm-256color' }), undefined)).toBe(true);
	});

	it('lets NO_COLOR and --no-color win over FORCE_COLOR and a terminal', () => {
		expect(useColor(io(false, { FORCE_COLOR: '1', NO_COLOR: '1' }), undefined)).toBe(false);
		expect(useColor(io(true, { FORCE_COLOR: '1' }), false)).toBe(false);
		expect(useColor(io(true, { NO_COLOR: '1' }), undefined)).toBe(false);
	});
});
