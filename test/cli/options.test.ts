import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { colorOption, formatOption, PLAN_FORMATS } from '../../src/cli/flags/output.js';
import {
	DEFAULT_PARALLELISM,
	parallelismOption,
	parseParallelism,
} from '../../src/cli/flags/plan.js';
import { parseNumber } from '../../src/cli/options.js';
import { RENDERERS } from '../../src/render/index.js';

describe('the shared CLI options', () => {
	it('offer every plan renderer as a format, and only those', () => {
		expect([...PLAN_FORMATS].sort()).toEqual(Object.keys(RENDERERS).sort());
	});

	it('parse parallelism with one default and one range', () => {
		expect(parseParallelism(undefined)).toBe(DEFAULT_PARALLELISM);
		expect(parseParallelism('3')).toBe(3);
		for (const bad of ['0', '65', '2.5', 'many', ''])
			expect(() => parseParallelism(bad), bad).toThrow(
				`--parallelism: expected an integer from 1 to 64 (got "${bad}")`
			);
	});

	it('word every number error the same way', () => {
		expect(() => parseNumber('--allow-removals', '-1', { integer: true, min: 0 })).toThrow(
			'--allow-removals: expected an integer of at least 0 (got "-1")'
		);
		expect(() => parseNumber('--interval', '0', { min: 1, max: 60, unit: 'seconds' })).toThrow(
			'--interval: expected a number of seconds from 1 to 60 (got "0")'
		);
		expect(parseNumber('--fail-rate', '0.5', { min: 0, max: 1 })).toBe(0.5);
	});

	it('declare --parallelism, --no-color and --format the way commander reads them', () => {
		const command = new Command('x')
			.exitOverride()
			.addOption(parallelismOption('Hub reads'))
			.addOption(colorOption('text output'))
			.addOption(formatOption(PLAN_FORMATS));
		command.parse(['--no-color', '--parallelism', '4'], { from: 'user' });
		expect(command.opts()).toEqual({ color: false, parallelism: '4', format: 'text' });
		expect(() =>
			new Command('y')
				.exitOverride()
				.configureOutput({ writeErr: () => {} })
				.addOption(formatOption(PLAN_FORMATS))
				.parse(['--format', 'yaml'], { from: 'user' })
		).toThrow(/Allowed choices are text, markdown, json/);
	});
});
