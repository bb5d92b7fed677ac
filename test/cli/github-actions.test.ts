import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	actionsRunUrl,
	appendStepSummary,
	STEP_SUMMARY_HEADROOM,
	STEP_SUMMARY_LIMIT,
} from '../../src/cli/github-actions.js';
import type { Io } from '../../src/cli/io.js';
import { renderMarkdown } from '../../src/render/index.js';
import type { Action } from '../../src/plan/types.js';
import { planOf, viewOf } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

const dirs: string[] = [];
afterEach(async () => {
	await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function summaryFile(initial: string | Buffer): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'coder-sessions-summary-'));
	dirs.push(dir);
	const file = join(dir, 'summary.md');
	await writeFile(file, initial);
	return file;
}

function ioWith(env: NodeJS.ProcessEnv): Io & { readonly errors: string[] } {
	const errors: string[] = [];
	return { out: () => {}, err: (t) => errors.push(t), isTTY: false, env, cwd: '/', errors };
}

/** Creates whose labels are multi-byte: characters and bytes of the markdown differ. */
function wideCreates(count: number): Action[] {
	return Array.from({ length: count }, (_, i) => {
		const key = `w-${i}`;
		const label = `Sitzung für Überprüfung ✓ ${'é'.repeat(200)}`;
		return { kind: 'create', key, reason: 'new', desired: desired(key, { label }) };
	});
}

describe('GitHub Actions run link', () => {
	it('is the run page when the server, repository and run id are set', () => {
		const env = {
			GITHUB_SERVER_URL: 'https://github.example.com/',
			GITHUB_REPOSITORY: 'acme/agents',
			GITHUB_RUN_ID: '77',
		};
		expect(actionsRunUrl(env)).toBe('https://github.example.com/acme/agents/actions/runs/77');
		expect(actionsRunUrl({ ...env, GITHUB_RUN_ID: undefined })).toBeUndefined();
		expect(actionsRunUrl({ ...env, GITHUB_REPOSITORY: 'acme/agents) [x](y' })).toBeUndefined();
	});
});

describe('the step summary', () => {
	it('is left alone when GITHUB_STEP_SUMMARY is not set', async () => {
		let rendered = 0;
		await appendStepSummary(ioWith({}), () => {
			rendered += 1;
			return 'x';
		});
		expect(rendered).toBe(0);
	});

	it('takes the whole plan, and stays within 1 MiB with what the step wrote before', async () => {
		const earlier = Buffer.alloc(STEP_SUMMARY_LIMIT - 200_000, 'a');
		const file = await summaryFile(earlier);
		const view = viewOf(planOf(wideCreates(2_000)));
		const io = ioWith({ GITHUB_STEP_SUMMARY: file });
		await appendStepSummary(io, (limit) => renderMarkdown(view, { limit }));
		expect(io.errors).toEqual([]);
		expect((await stat(file)).size).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
		const added = (await readFile(file, 'utf8')).slice(earlier.length);
		expect(added).toContain('<details>');
		for (let i = 0; i < 2_000; i += 1) expect(added).toContain(`w-${i}`);
	});

	it('leaves room for the lines the CI action writes around the plan', async () => {
		const file = await summaryFile(Buffer.alloc(0));
		const view = viewOf(planOf(wideCreates(12_000)));
		const io = ioWith({ GITHUB_STEP_SUMMARY: file });
		await appendStepSummary(io, (limit) => renderMarkdown(view, { limit }));
		const size = (await stat(file)).size;
		expect(size).toBeGreaterThan(STEP_SUMMARY_LIMIT - STEP_SUMMARY_HEADROOM - 100_000);
		expect(size).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT - STEP_SUMMARY_HEADROOM);
	});

	it('says so on stderr when the step has no room left', async () => {
		const file = await summaryFile(Buffer.alloc(STEP_SUMMARY_LIMIT - 10, 'a'));
		const io = ioWith({ GITHUB_STEP_SUMMARY: file });
		await appendStepSummary(io, () => 'plan');
		expect(io.errors).toEqual([
			'note: the plan was not added to the step summary: it has no room left',
		]);
		expect((await stat(file)).size).toBe(STEP_SUMMARY_LIMIT - 10);
	});
});
