/**
 * The operations take their surroundings as parameters: no process globals, no console, no exit.
 * That is what lets the CLI, the library and the tests run them alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const OPERATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/operations');
const GLOBALS =
	/\bprocess\.(env|argv|cwd|exit|exitCode|stdin|stdout|stderr|on|once|off)\b|\bconsole\./g;

describe('the operations', () => {
	it('use no process globals and print nothing themselves', () => {
		const offenders = readdirSync(OPERATIONS)
			.filter((name) => name.endsWith('.ts'))
			.flatMap((name) => {
				const text = readFileSync(join(OPERATIONS, name), 'utf8');
				return [...text.matchAll(GLOBALS)].map((match) => `${name}: ${match[0]}`);
			});
		expect(offenders).toEqual([]);
	});
});
