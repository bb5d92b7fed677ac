/**
 * An empty id or key names no record: validate refuses it offline, where it is written, and says
 * what to write, so no command sends it to the Hub (not even with --no-reference-check).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const FILE = 'test/fixtures/invalid/empty-ids.yaml';

describe('an empty id or key in the spec', () => {
	it('is refused by validate at its file:line:col, saying what to write', async () => {
		const result = await runCli(['validate', '-f', FILE]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines).toEqual([
			`${FILE}:4:10: defaults.agent: must not be empty: write an agent id, or leave the field out`,
			`${FILE}:8:21: workspaces.docs.enabledAgents[0]: must not be empty: write a key under agents, a built-in agent or an agent id, or remove the item`,
			`${FILE}:9:19: workspaces.docs.savedSkills[0]: must not be empty: write a key under skills or a saved skill id, or remove the item`,
			`${FILE}:13:18: sessions.a.workspaceId: must not be empty: write a workspace id (or workspace: with a key under workspaces), or leave the field out`,
			`${FILE}:14:19: sessions.a.defaultAgent: must not be empty: write an agent id, or leave the field out`,
			`${FILE}:15:21: sessions.a.enabledAgents[0]: must not be empty: write an agent id, or remove the item`,
			`${FILE}:16:21: sessions.a.savedSkillIds[0]: must not be empty: write a saved skill id (or a key under skills in savedSkills), or remove the item`,
			`${FILE}:17:22: sessions.a.skillBucketIds[0]: must not be empty: write a skill bucket id (or a key under skillBuckets in skillBuckets), or remove the item`,
			`${FILE}:20:16: sessions.b.workspace: must not be empty: write a key under workspaces, or leave the field out`,
			`${FILE}:21:19: sessions.b.savedSkills[0]: must not be empty: write a key under skills, or remove the item`,
			`${FILE}:22:20: sessions.b.skillBuckets[0]: must not be empty: write a key under skillBuckets, or remove the item`,
			`${FILE}:23:12: sessions.b.adopt: must not be empty: write the id of the session to adopt, or leave adopt out`,
			`12 errors in ${FILE}`,
		]);
	});
});
