/**
 * The sections of the Coder kinds (skills, skillBuckets, agents, workspaces): the documented
 * surface loads, and each refusal is a located error, file:line:col and message.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODER_KINDS } from '../../src/kinds/coder-kinds.js';
import { looksLikeRecordId } from '../../src/kinds/record-id.js';
import { formatSpecError, loadSpec } from '../../src/spec/index.js';

const dir = fileURLToPath(new URL('../fixtures/coder-kinds/', import.meta.url));
const load = (file: string) => loadSpec([file], { cwd: dir, table: CODER_KINDS });

async function errorsOf(file: string): Promise<string[]> {
	const result = await load(file);
	if (result.ok) throw new Error(`expected ${file} to be invalid`);
	return result.errors.map(formatSpecError);
}

describe('the sections of the Coder kinds', () => {
	it('load the documented surface, with adopt: and ids of existing records', async () => {
		const result = await load('valid.yaml');
		if (!result.ok) throw new Error(result.errors.map(formatSpecError).join('\n'));
		const entries = result.spec.resources ?? [];
		expect(entries.map((entry) => `${entry.kind}.${entry.key}`)).toEqual([
			'skill.style-guide',
			'skill.release-notes',
			'skillBucket.docs-kit',
			'agent.reviewer',
			'workspace.docs',
		]);
		const docs = entries.find((entry) => entry.kind === 'workspace')!;
		expect(docs.adopt).toBe('ws_0123456789ab');
		expect(docs.values).toMatchObject({
			repos: [{ owner: 'agentuity', name: 'docs', branch: 'main' }],
			enabledAgents: ['reviewer', 'lead'],
			savedSkills: ['style-guide', 'skill_0a1b2c3d4e5f'],
			setupScript: 'npm ci\n',
		});
		expect(entries.find((entry) => entry.kind === 'agent')).not.toHaveProperty('adopt');
	});

	it('refuse a reference list item that is no declared key, id or built-in agent', async () => {
		expect(await errorsOf('references.yaml')).toEqual([
			'references.yaml:9:19: skillBuckets.docs-kit.savedSkills[0]: no skill "style-guid" is declared under skills (did you mean "style-guide"?)',
			'references.yaml:13:30: agents.writer.companionAgents[1]: no agent "reviewr" is declared under agents, nor is it a built-in agent (lead, scout, builder, reviewer) (did you mean "reviewer"?)',
			'references.yaml:16:32: workspaces.docs.savedSkills[1]: no skill "style_guide" is declared under skills (did you mean "style-guide"?)',
			'references.yaml:17:20: workspaces.docs.skillBuckets[0]: no skillBucket "docs-kits" is declared under skillBuckets (did you mean "docs-kit"?)',
			'references.yaml:18:35: workspaces.docs.enabledAgents[2]: no agent "ghost" is declared under agents, nor is it a built-in agent (lead, scout, builder, reviewer); one the spec does not declare (another stack\'s, or made by hand) is named by its id',
		]);
	});

	it("refuse values a kind cannot take together, at the field or at the entry's key", async () => {
		expect(await errorsOf('checks.yaml')).toEqual([
			'checks.yaml:7:11: skills.both.repo: a skill is custom (content) or saved from a repository (repo), not both: remove one',
			'checks.yaml:8:3: skills.neither: a skill needs content (a custom SKILL.md) or repo (a skill saved from a repository)',
			'checks.yaml:12:10: skills.custom-with-url.url: url is for a skill saved from a repository, not a custom one',
			'checks.yaml:14:3: workspaces.empty: a workspace needs at least one of repos, dependencies, setupScript, systemPrompt, savedSkills, skillBuckets, enabledAgents (the Hub refuses an empty workspace)',
			'checks.yaml:16:3: workspaces.blank: a workspace needs at least one of repos, dependencies, setupScript, systemPrompt, savedSkills, skillBuckets, enabledAgents (the Hub refuses an empty workspace)',
		]);
	});

	it("refuse agent values the SDK's create request does not accept", async () => {
		expect(await errorsOf('agent-values.yaml')).toEqual([
			'agent-values.yaml:5:3: agents.no-instructions.instructions: required field "instructions" is missing',
			'agent-values.yaml:7:19: agents.no-instructions.tools[1]: expected one of read, ls, find, grep, bash, write, edit (got "fly")',
			'agent-values.yaml:8:20: agents.no-instructions.thinkingLevel: expected one of off, minimal, low, medium, high, xhigh (got "deep")',
		]);
	});

	it('refuse entries that reference one another in a cycle, once per cycle', async () => {
		expect(await errorsOf('cycles.yaml')).toEqual([
			'cycles.yaml:7:30: agents.reviewer.companionAgents[1]: agents reviewer -> helper -> reviewer form a cycle',
			'cycles.yaml:13:23: agents.narcissus.companionAgents[0]: agents narcissus -> narcissus form a cycle',
			'cycles.yaml:16:23: agents.a.companionAgents[0]: agents a -> b -> c -> a form a cycle',
		]);
	});

	it('refuse an empty adopt:', async () => {
		expect(await errorsOf('adopt.yaml')).toEqual([
			'adopt.yaml:9:12: skills.blank-adopt.adopt: must not be empty: write the id of the record to adopt, or leave adopt out',
		]);
	});
});

describe('the shape of a record id in a reference list', () => {
	it("is the Hub's: a prefix, _, and a random part with a digit", () => {
		for (const id of [
			'skill_0a1b2c3d4e5f',
			'skbkt_9f00aa11bb22',
			'hagent_0a1b2c3d4e5f',
			'ws_12345678',
		])
			expect(looksLikeRecordId(id)).toBe(true);
		for (const key of [
			'style_guide',
			'docs_reviewer',
			'release_notes2',
			'ws_1234567',
			'Ws_12345678',
			'skill-0a1b2c3d4e5f',
			'lead',
		])
			expect(looksLikeRecordId(key)).toBe(false);
	});
});
