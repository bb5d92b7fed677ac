/**
 * `drift --write` (Terraform's -refresh-only): hand edits on the Hub taken into the spec, for the
 * fields the Hub echoes; the diff first, a confirmation, comments kept.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../support/cli.js';
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

/** A spec as `fmt` leaves it, with defaults every entry inherits. */
const FORMATTED = `version: 1
stack: tidy

defaults:
  visibility: org
  tags: [docs, managed]

sessions:
  quickstart:
    task: Follow the quickstart and report what fails.
    label: Quickstart review
    tags: [onboarding]
    enabledAgents: [lead, scout]
    metadata:
      ticket: DOCS-141

  faq:
    task: Refresh the FAQ.
`;

describe.concurrent('drift --write in fmt layout', () => {
	const dir = useTempDir('drift-write-fmt-');

	it('touches only the lines it changes, copies no defaults into the entry, and passes fmt --check', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = join(dir.path, 'tidy.yaml');
		await writeFile(file, FORMATTED);
		expect((await runCli(['fmt', '--check', 'tidy.yaml'], { cwd: dir.path })).code).toBe(0);
		await applySpec(hub, 'tidy.yaml', { cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'tidy');
		const current = (await hub.client.getSession(ids.quickstart!)).metadata ?? {};
		await editLive(hub, ids.quickstart!, {
			label: 'Quickstart (Ana)',
			tags: ['docs', 'managed', 'onboarding', 'urgent'],
			metadata: { ...current, ticket: 'DOCS-142' },
		});
		await editLive(hub, ids.faq!, { visibility: 'private' });

		const written = await cli(hub, ['drift', '-f', 'tidy.yaml', '--write', '--auto-approve'], {
			cwd: dir.path,
		});

		expect(written.code, written.stderr).toBe(0);
		const text = await readFile(file, 'utf8');
		expect(text).toBe(
			FORMATTED.replace('label: Quickstart review', 'label: Quickstart (Ana)')
				.replace('tags: [onboarding]', 'tags: [onboarding, urgent]')
				.replace('ticket: DOCS-141', 'ticket: DOCS-142')
				.replace('task: Refresh the FAQ.\n', 'task: Refresh the FAQ.\n    visibility: private\n')
		);
		const check = await runCli(['fmt', '--check', 'tidy.yaml'], { cwd: dir.path });
		expect(check.code, check.stdout + check.stderr).toBe(0);
		const after = await cli(hub, ['drift', '-f', 'tidy.yaml'], { cwd: dir.path });
		expect(after.code, after.stdout).toBe(0);
	});

	it('says so, and writes no tags, when the Hub dropped a tag the defaults add to every entry', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = join(dir.path, 'dropped.yaml');
		await writeFile(file, FORMATTED.replace('stack: tidy', 'stack: dropped'));
		await applySpec(hub, 'dropped.yaml', { cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'dropped');
		await editLive(hub, ids.quickstart!, { tags: ['docs', 'onboarding'] });

		const written = await cli(hub, ['drift', '-f', 'dropped.yaml', '--write', '--auto-approve'], {
			cwd: dir.path,
		});

		expect(written.code, written.stderr).toBe(0);
		expect(written.stderr).toContain(
			'Not taken into the spec: quickstart.tags: the Hub no longer has managed, which the defaults of this file add'
		);
		expect(written.stderr).toContain('Nothing to write');
		expect(await readFile(file, 'utf8')).toBe(FORMATTED.replace('stack: tidy', 'stack: dropped'));
	});

	it('never writes a secret the Hub echoed into a field: it is named as not taken', async ({
		onTestFinished,
	}) => {
		const apiKey = 'sk-Echoed-Into-A-Label-4711';
		const env = { AGENTUITY_SDK_KEY: apiKey };
		const hub = await hubForTest(onTestFinished);
		const file = join(dir.path, 'secret.yaml');
		const spec = SPEC.replace('stack: accept', 'stack: secret');
		await writeFile(file, spec);
		await applySpec(hub, 'secret.yaml', { cwd: dir.path, env });
		const ids = await liveIdsByKey(hub, 'secret');
		const current = (await hub.client.getSession(ids.docs!)).metadata ?? {};
		await editLive(hub, ids.docs!, {
			label: `Docs ${apiKey}`,
			metadata: { ...current, team: encodeURIComponent(JSON.stringify({ key: apiKey })) },
		});
		const written = await cli(hub, ['drift', '-f', 'secret.yaml', '--write', '--auto-approve'], {
			cwd: dir.path,
			env,
		});
		expect(written.code, written.stderr).toBe(0);
		expect(await readFile(file, 'utf8')).toBe(spec);
		const never =
			"the Hub's value holds a secret (an env value or the API key), which is never written";
		expect(written.stderr).toContain(`docs.label: ${never}`);
		expect(written.stderr).toContain(`docs.metadata.team: ${never}`);
		expect(written.stdout + written.stderr).not.toContain(apiKey);
	});
});
