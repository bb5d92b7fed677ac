/**
 * A workspace whose update fails (here the snapshot rebuild a new setup script starts) stops the
 * sessions to be made on it: they are not attempted, so a replace never archives a working
 * session for one standing on a workspace the spec no longer describes. Real CLI, local Hub on
 * 127.0.0.1 whose every snapshot build fails.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ApplyJsonV1 } from '../../src/render/apply-json.js';
import { stackSessions } from '../support/apply-helpers.js';
import { cli, hubAndDirForTest, writeSpec, type SpecDoc } from '../support/local-hub.js';

const STACK = 'rebuild';

const spec = (setupScript?: string, task = 'Review the docs.'): SpecDoc => ({
	stack: STACK,
	sessions: { review: { task, workspace: 'docs' } },
	workspaces: {
		docs: {
			name: 'Docs workspace',
			repos: ['agentuity/docs#main'],
			...(setupScript ? { setupScript } : {}),
		},
	},
});

describe('a workspace update that fails', () => {
	it('leaves the sessions to be made on it not attempted, the live ones as they are', async () => {
		// No snapshot to build at first; the setup script added later starts a build that fails.
		const { hub, dir } = await hubAndDirForTest(
			onTestFinished,
			{ snapshotFailRate: 1 },
			'rebuild-'
		);
		const run = (args: string[]) => cli(hub, args, { cwd: dir });
		const first = await writeSpec(dir, 'first.yaml', spec());
		const applied = await run(['apply', '--auto-approve', '-f', first]);
		expect(applied.code, applied.stdout + applied.stderr).toBe(0);
		const [before] = await stackSessions(hub.url, STACK);

		const second = await writeSpec(dir, 'second.yaml', spec('make docs', 'Review the docs again.'));
		const planned = await run(['plan', '-f', second]);
		expect(planned.stdout).toMatch(/-\/\+ replace {2}review /);
		expect(planned.stdout).toMatch(/~ update {3}workspaces\.docs \(workspace\)/);
		const failed = await run(['apply', '--auto-approve', '-f', second, '--format', 'json']);
		expect(failed.code, failed.stdout + failed.stderr).toBe(5);
		const result = JSON.parse(failed.stdout) as ApplyJsonV1;
		expect(result.resources).toMatchObject([
			{ qualifiedKey: 'workspaces.docs', verb: 'update', status: 'failed' },
		]);
		const workspaceId = result.resources?.[0]?.idBefore;
		expect(result.actions).toMatchObject([
			{
				key: 'review',
				kind: 'replace',
				status: 'not-attempted',
				message: `depends on ${workspaceId}, which did not succeed (workspaces.docs)`,
			},
		]);
		const after = await stackSessions(hub.url, STACK, true);
		expect(after.map(({ id, archived }) => ({ id, archived }))).toEqual([
			{ id: before!.id, archived: false },
		]);
	});
});
