import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';

describe("loadSpec's afterYaml", () => {
	it('is called once per file read as YAML, and errors after it still name their line', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'after-yaml-'));
		writeFileSync(
			join(dir, 'a.yaml'),
			'version: 1\nstack: s\nsessions:\n  a:\n    task: A\n    visibility: everyone\n'
		);
		writeFileSync(join(dir, 'b.yaml'), 'version: 1\nstack: s\nsessions:\n  b:\n    task: B\n');
		let calls = 0;
		const result = await loadSpec(['a.yaml', 'b.yaml'], { cwd: dir, afterYaml: () => calls++ });
		expect(calls).toBe(2);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.errors[0]).toMatchObject({
			file: 'a.yaml',
			at: { line: 6, column: 17 },
			path: ['sessions', 'a', 'visibility'],
		});
	});
});
