/**
 * `drift --write` (Terraform's -refresh-only): hand edits on the Hub taken into the spec, for the
 * fields the Hub echoes; the diff first, a confirmation, comments kept.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
	applySpec,
	cli,
	editLive,
	hubForTest,
	liveIdsByKey,
	useTempDir,
} from '../support/local-hub.js';

const SPEC = `version: 1
stack: accept # hand edits welcome

sessions:
  # The docs pipeline.
  docs:
    task: Keep the docs current
    label: Docs bot # the name people see
    tags: [docs]
    metadata:
      team: docs
  sdk:
    task: Lint the SDK
`;

describe.concurrent('drift --write', () => {
	const dir = useTempDir('drift-write-');

	it('writes the Hub values of the changed fields into the spec, after the diff and a confirmation', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = join(dir.path, 'accept.yaml');
		await writeFile(file, SPEC);
		await applySpec(hub, 'accept.yaml', { cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'accept');
		const current = (await hub.client.getSession(ids.docs!)).metadata ?? {};
		await editLive(hub, ids.docs!, {
			label: 'Docs (renamed by hand)',
			tags: ['docs', 'urgent'],
			metadata: { ...current, team: 'platform', note: 'added by another app' },
		});
		const before = await cli(hub, ['drift', '-f', 'accept.yaml'], { cwd: dir.path });
		expect(before.code).toBe(6);

		const unconfirmed = await cli(hub, ['drift', '-f', 'accept.yaml', '--write'], {
			cwd: dir.path,
		});
		expect(unconfirmed.code).toBe(1);
		expect(unconfirmed.stdout).toContain('+    label: Docs (renamed by hand)');
		expect(unconfirmed.stderr).toContain('re-run with --auto-approve');
		expect(await readFile(file, 'utf8')).toBe(SPEC);

		const written = await cli(hub, ['drift', '-f', 'accept.yaml', '--write', '--auto-approve'], {
			cwd: dir.path,
		});
		expect(written.code, written.stderr).toBe(0);
		expect(written.stdout).toContain('-    label: Docs bot # the name people see');
		expect(written.stderr).toContain('Wrote 3 values to accept.yaml');
		const text = await readFile(file, 'utf8');
		for (const comment of ['# hand edits welcome', '# The docs pipeline.', '# the name people see'])
			expect(text).toContain(comment);
		expect(parse(text).sessions.docs).toEqual({
			task: 'Keep the docs current',
			label: 'Docs (renamed by hand)',
			tags: ['docs', 'urgent'],
			metadata: { team: 'platform' },
		});
		expect(parse(text).sessions.sdk).toEqual({ task: 'Lint the SDK' });

		const plan = await cli(hub, ['plan', '-f', 'accept.yaml', '--detailed-exitcode'], {
			cwd: dir.path,
		});
		expect(plan.code, plan.stdout + plan.stderr).toBe(0);
		expect(written.stderr).toContain(
			'Recorded on 1 session that these values are the applied ones.'
		);
		const after = await cli(hub, ['drift', '-f', 'accept.yaml'], { cwd: dir.path });
		expect(after.code, after.stdout).toBe(0);
		const docs = await hub.client.getSession(ids.docs!);
		expect(docs.label).toBe('Docs (renamed by hand)');
		expect((docs.metadata ?? {}).note).toBe('added by another app');
		const again = await cli(hub, ['drift', '-f', 'accept.yaml', '--write', '--auto-approve'], {
			cwd: dir.path,
		});
		expect(again.code).toBe(0);
		expect(again.stderr).toContain('Nothing to write');
		expect(await readFile(file, 'utf8')).toBe(text);
	});
});
