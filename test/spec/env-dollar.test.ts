import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSpecError, loadSpec } from '../../src/spec/index.js';
import { parseTemplate, resolveTemplate } from '../../src/kinds/session/env-template.js';

describe('a $ in an env template', () => {
	it('before a name is a located spec error suggesting ${NAME} and $$', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'env-dollar-'));
		try {
			const text =
				'version: 1\nstack: s\nsessions:\n  a:\n    task: T\n    env:\n      TOKEN: $TOKEN\n';
			await writeFile(join(dir, 'sessions.yaml'), text);
			const result = await loadSpec(['sessions.yaml'], { cwd: dir });
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.errors.map(formatSpecError)).toEqual([
				'sessions.yaml:7:14: sessions.a.env.TOKEN: "$TOKEN" is not a reference: write "${TOKEN}" to read the variable TOKEN, or "$$" for a literal "$"',
			]);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('$$ is a literal $, and a $ before anything but a name or $ is just a dollar', () => {
		expect(resolveTemplate('$$TOKEN costs $5 or 5$ ($$${X})', { X: 'x' })).toEqual({
			value: '$TOKEN costs $5 or 5$ ($x)',
		});
		expect(parseTemplate('$${LITERAL}')).toEqual({
			ok: true,
			parts: [{ kind: 'text', text: '${LITERAL}' }],
		});
	});
});
