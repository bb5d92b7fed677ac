import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/cli.js';

describe('coder-sessions schema', () => {
	it('prints the JSON Schema of the spec', async () => {
		const result = await runCli(['schema']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		const schema = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(schema).toMatchObject({
			$schema: 'http://json-schema.org/draft-07/schema#',
			title: 'coder-sessions spec',
			type: 'object',
		});
	});

	it('matches the committed schema/sessions.schema.json (run `npm run schema` after changing the spec)', async () => {
		const result = await runCli(['schema']);
		const committed = await readFile(join(projectRoot, 'schema/sessions.schema.json'), 'utf8');
		expect(result.stdout).toBe(committed);
	});

	it('is what the example points its editor at', async () => {
		const example = await readFile(join(projectRoot, 'examples/sessions.yaml'), 'utf8');
		expect(example.split('\n')[0]).toBe(
			'# yaml-language-server: $schema=../schema/sessions.schema.json'
		);
	});
});
