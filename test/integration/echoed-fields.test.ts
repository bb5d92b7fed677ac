/**
 * What the Hub echoes decides what plan compares, drift sees and export writes (the field
 * table's `echo`, from the SDK's session detail). `skills` and the workspace are echoed: a hand
 * change to skills is drift, and export writes both. `agent` and `loop` are not in the SDK's
 * detail: drift cannot see them, and export says it leaves them out.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DriftJsonV1 } from '../../src/render/drift.js';
import { expectExit, planJson } from '../support/plan-output.js';
import {
	applySpec,
	cli,
	editLive,
	hubForTest,
	LIBRARY_FIXTURES,
	liveIdsByKey,
	useTempDir,
	writeSpec,
} from '../support/local-hub.js';

const LINT = { skillId: 'sk_lint', repo: 'agentuity/skills' };
const DOCS = { skillId: 'sk_docs', repo: 'agentuity/skills', name: 'Docs' };

describe('fields the Hub echoes', () => {
	const dir = useTempDir();

	it('creates skills and the workspace, sees a hand change to skills as drift, and exports both', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY_FIXTURES });
		const stack = 'echoed-fields';
		const file = await writeSpec(dir.path, `${stack}.yaml`, {
			stack,
			sessions: {
				docs: {
					task: 'Keep the docs current.',
					skills: [LINT],
					workspaceId: 'ws_docs',
					agent: 'lead',
					loop: { goal: 'Ship the docs', maxIterations: 3 },
				},
			},
		});
		await applySpec(hub, file, { cwd: dir.path });
		const { docs: id } = await liveIdsByKey(hub, stack);
		const created = await hub.client.getSession(id!);
		expect(created.skills).toEqual([LINT]);
		expect(created.workspace?.id).toBe('ws_docs');

		const converged = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], {
			cwd: dir.path,
		});
		expectExit(converged, 0);

		// A person changes the session with the SDK, behind the tool's back (the loop cannot be:
		// the documented PATCH takes none).
		await editLive(hub, id!, { skills: [DOCS], agent: 'scout' });

		const drift = await cli(hub, ['drift', '-f', file, '--format', 'json'], { cwd: dir.path });
		expectExit(drift, 6);
		const report = JSON.parse(drift.stdout) as DriftJsonV1;
		const session = report.sessions.find((s) => s.key === 'docs')!;
		// agent is not in the SDK's session detail: nothing shows its change. The workspace may add
		// skills to the echo, so skills are compared by what the spec declares: LINT is gone.
		expect(session.outside).toEqual([{ field: 'skills', live: [DOCS], applied: [LINT] }]);

		const plan = await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path });
		const [action] = planJson(plan).actions;
		expect(action).toMatchObject({
			kind: 'update',
			changes: [{ field: 'skills', before: [DOCS], after: [LINT] }],
		});

		const exported = await cli(hub, ['export', '--stack', stack], { cwd: dir.path });
		expectExit(exported, 0);
		const entry = parse(exported.stdout).sessions.docs;
		expect(entry).toMatchObject({ skills: [DOCS], workspaceId: 'ws_docs' });
		expect(entry).not.toHaveProperty('agent');
		expect(entry).not.toHaveProperty('loop');
		expect(exported.stdout).toContain(
			'# Not exported, as the Hub does not echo them: loop, agent, savedSkillIds, skillBucketIds and sandbox.'
		);
	});
});
