/**
 * `skills`, a field added as one row of the field table: validated with locations, merged from
 * defaults, created, updated in place, shown in text and JSON, exported.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportSpec } from '../../../src/spec/export/index.js';
import { planSessions } from '../../../src/plan/diff.js';
import { toPlanJson } from '../../../src/render/json.js';
import { renderText } from '../../../src/render/text.js';
import { formatSpecError, parseSpec } from '../../../src/spec/index.js';
import type { Spec } from '../../../src/kinds/session/desired.js';
import { desired, liveFor, spec } from '../../support/session-builders.js';
import { viewOf } from '../../support/plan-builders.js';

const LINT = { skillId: 'sk_lint', repo: 'agentuity/skills' };
const DOCS = { skillId: 'sk_docs', repo: 'agentuity/skills', name: 'Docs' };

function load(text: string): Spec {
	const result = parseSpec([{ file: 'skills.yaml', text }]);
	if (!result.ok) throw new Error(result.errors.map(formatSpecError).join('\n'));
	return result.spec;
}

function errorsOf(text: string): string[] {
	const result = parseSpec([{ file: 'skills.yaml', text }]);
	if (result.ok) throw new Error('expected the spec to be invalid');
	return result.errors.map(formatSpecError);
}

describe('skills in the spec', () => {
	it('takes a list of {skillId, repo, ...}; defaults apply unless the entry sets its own', () => {
		const loaded = load(`version: 1
stack: docs-team
defaults:
  skills: [{ skillId: sk_lint, repo: agentuity/skills }]
sessions:
  a: { task: A }
  b:
    task: B
    skills:
      - { skillId: sk_docs, repo: agentuity/skills, name: Docs }
`);
		expect(loaded.sessions.map((s) => s.skills)).toEqual([[LINT], [DOCS]]);
	});

	it('refuses a skill without its repo, or an unknown key, at the line and column', () => {
		expect(
			errorsOf(`version: 1
stack: docs-team
sessions:
  a:
    task: A
    skills:
      - skillId: sk_lint
      - { skillId: sk_docs, repo: r, colour: red }
`)
		).toEqual([
			'skills.yaml:7:9: sessions.a.skills[0].repo: required field "repo" is missing',
			'skills.yaml:8:38: sessions.a.skills[1].colour: unknown field "colour" (expected one of skillId, repo, name, url, content)',
		]);
	});
});

describe('skills in a plan', () => {
	it('shows the skills of a created session, in text and JSON', () => {
		const entry = desired('a', { skills: [LINT] });
		const view = viewOf(planSessions(spec([entry]), []));
		expect(renderText(view, { color: false })).toContain(
			'+ skills: [{ skillId: "sk_lint", repo: "agentuity/skills" }]'
		);
		expect(toPlanJson(view).actions[0]?.desired?.skills).toEqual([LINT]);
	});

	it('updates skills in place, and the same skills in another order change nothing', async () => {
		const session = await liveFor(desired('a', { skills: [LINT, DOCS] }));
		const reordered = planSessions(spec([desired('a', { skills: [DOCS, LINT] })]), [session]);
		expect(reordered.actions.map((a) => a.kind)).toEqual(['noop']);

		const plan = planSessions(spec([desired('a', { skills: [DOCS] })]), [session]);
		const [action] = plan.actions;
		expect(action?.kind).toBe('update');
		const json = toPlanJson(viewOf(plan)).actions[0];
		expect(json?.changes).toEqual([{ field: 'skills', before: [DOCS, LINT], after: [DOCS] }]);
	});
});

describe('skills in an export', () => {
	it('writes the skills the Hub echoes, and the exported spec plans to no change', async () => {
		const session = await liveFor(desired('a', { task: 'A', skills: [LINT] }));
		const { text } = exportSpec([session], { stack: 'docs-team', select: 'stack' });
		expect(parse(text).sessions.a.skills).toEqual([LINT]);
		const actions = planSessions(load(text), [session]).actions;
		expect(actions.map((a) => a.kind)).toEqual(['noop']);
	});
});
