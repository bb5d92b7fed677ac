/**
 * Aliases that expand a small file into a huge spec: 99 aliases of a 4.6 MB task are within
 * yaml's alias count, and made a 460 MB plan. The expanded size is capped, per alias and per
 * file, with the error at the alias.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ALIAS_EXPANSION, MAX_EXPANDED_FILE } from '../../src/spec/expanded-size.js';
import { MAX_SPEC_BYTES, formatSpecError, loadSpec } from '../../src/spec/index.js';
import { runCli } from '../support/cli.js';

/** `count` sessions sharing one task of `size` characters: s0 anchors it, the others alias it. */
function sharedTask(size: number, count: number): string {
	const lines = [
		'version: 1',
		'stack: big',
		'sessions:',
		'  s0:',
		`    task: &task "${'x'.repeat(size)}"`,
	];
	for (let i = 1; i < count; i++) lines.push(`  s${i}:`, '    task: *task');
	return `${lines.join('\n')}\n`;
}

describe('the expanded size of a spec', () => {
	let dir = '';
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'coder-sessions-expanded-'));
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	const errorsOf = async (name: string, text: string) => {
		await writeFile(join(dir, name), text);
		const result = await loadSpec([name], { cwd: dir });
		return result.ok ? [] : result.errors.map(formatSpecError);
	};

	it('refuses 99 aliases of a 4.6 MB task at the first alias', async () => {
		const text = sharedTask(4_600_000, 100);
		expect(Buffer.byteLength(text)).toBeLessThan(MAX_SPEC_BYTES);
		expect(await errorsOf('bomb.yaml', text)).toEqual([
			'bomb.yaml:7:11: sessions.s1.task: the alias *task stands for 4.4 MiB of text once expanded; an alias may stand for at most 1.0 MiB',
		]);
	});

	it('refuses a file that expands past the file limit, at the alias that crosses it', async () => {
		const size = 1_000_000;
		expect(size).toBeLessThan(MAX_ALIAS_EXPANSION);
		// s0 holds it once; each alias adds it again: the 16th alias (s16) crosses 16 MiB.
		expect(17 * size).toBeGreaterThan(MAX_EXPANDED_FILE);
		expect(await errorsOf('wide.yaml', sharedTask(size, 30))).toEqual([
			'wide.yaml:37:11: sessions.s16.task: the file expands to more than 16.0 MiB of text through its aliases (this alias *task adds 1.0 MiB); a spec file may expand to at most 16.0 MiB',
		]);
	});

	it('counts what an alias stands for through nested aliases', async () => {
		const text = [
			'version: 1',
			'stack: big',
			`shared: &part ["${'y'.repeat(300_000)}"]`,
			'more: &whole [*part, *part, *part, *part]',
			'sessions:',
			'  s0:',
			'    task: Work.',
			'    tags: *whole',
		].join('\n');
		expect(await errorsOf('nested.yaml', text)).toEqual([
			'nested.yaml:8:11: sessions.s0.tags: the alias *whole stands for 1.1 MiB of text once expanded; an alias may stand for at most 1.0 MiB',
		]);
	});

	it('lets aliases within both limits be', async () => {
		expect(await errorsOf('fine.yaml', sharedTask(100_000, 40))).toEqual([]);
	});

	it('is reported by validate with exit 1', async () => {
		await writeFile(join(dir, 'cli.yaml'), sharedTask(4_600_000, 100));
		const result = await runCli(['validate', '-f', 'cli.yaml'], { cwd: dir });
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(
			'cli.yaml:7:11: sessions.s1.task: the alias *task stands for 4.4 MiB of text once expanded'
		);
	});
});
