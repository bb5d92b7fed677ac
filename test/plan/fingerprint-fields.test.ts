/**
 * The plan fingerprint binds a reviewed plan to what apply sends: every value a create carries
 * (each field of the field table, down to each sandbox setting and each env key) is part of it,
 * so a plan with an unreviewed task, repo or sandbox cannot be applied under a reviewed
 * fingerprint. Literal env text is left out by design (a saved plan checks it by digest).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DesiredSession } from '../../src/kinds/session/desired.js';
import { FIELD_TABLE } from '../../src/kinds/session/fields/index.js';
import { fingerprintOf, type PlannedHub } from '../../src/plan/fingerprint.js';
import type { Action } from '../../src/plan/types.js';
import { loadSpec } from '../../src/spec/index.js';

const HUB: PlannedHub = { local: false, url: 'https://hub.example', org: 'org_1' };

async function everythingEntry(): Promise<DesiredSession> {
	const cwd = fileURLToPath(new URL('../fixtures/valid/', import.meta.url));
	const result = await loadSpec(['full.yaml'], { cwd });
	if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
	const entry = result.spec.sessions.find((session) => session.key === 'everything')!;
	// Fields the shared fixture does not write yet, so every row has a value to change.
	const more: Partial<DesiredSession> = {
		skills: [
			{ skillId: 'review', repo: 'agentuity/skills', name: 'Review', url: 'u', content: 'c' },
		],
	};
	return { ...more, ...entry };
}

function createOf(desired: DesiredSession): Action[] {
	return [{ kind: 'create', key: desired.key, desired, reason: 'not on the Hub' }];
}

const fingerprint = (desired: DesiredSession) =>
	fingerprintOf('platform-2', createOf(desired), HUB);

/** A path into a value and that value changed there: one variant per leaf (and per list). */
function variants(value: unknown, path = ''): { path: string; value: unknown }[] {
	if (typeof value === 'string') return [{ path, value: `${value}-changed` }];
	if (typeof value === 'number') return [{ path, value: value + 1 }];
	if (typeof value === 'boolean') return [{ path, value: !value }];
	if (Array.isArray(value)) {
		const out = [
			{ path: `${path}[+]`, value: [...value, typeof value[0] === 'string' ? 'added' : {}] },
		];
		value.forEach((item, index) => {
			for (const variant of variants(item, `${path}[${index}]`))
				out.push({
					path: variant.path,
					value: value.map((v, i) => (i === index ? variant.value : v)),
				});
		});
		return out;
	}
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		return Object.entries(record).flatMap(([key, item]) =>
			variants(item, `${path}.${key}`).map((variant) => ({
				path: variant.path,
				value: { ...record, [key]: variant.value },
			}))
		);
	}
	return [];
}

describe('the fingerprint of a create', () => {
	it('covers every field of the field table, each leaf of its value on its own', async () => {
		const entry = await everythingEntry();
		const reviewed = fingerprint(entry);
		const checked: string[] = [];
		for (const row of FIELD_TABLE) {
			const value = (entry as unknown as Record<string, unknown>)[row.name];
			// The fixture declares every field, so a new row is covered by this loop.
			expect(value, `full.yaml declares ${row.name}`).toBeDefined();
			if (row.name === 'env') continue; // by key and reference, below
			for (const variant of variants(value)) {
				const changed = { ...entry, [row.name]: variant.value } as DesiredSession;
				expect(fingerprint(changed), `${row.name}${variant.path}`).not.toBe(reviewed);
				checked.push(`${row.name}${variant.path}`);
			}
		}
		// Each sandbox setting on its own, and the task, repo and list fields, were changed.
		for (const expected of [
			'task',
			'label',
			'repo.branch',
			'repos[0].name',
			'sandbox.runtime',
			'sandbox.resources.cpu',
			'sandbox.network.port',
			'sandbox.timeout.paused',
			'sandbox.scopes[+]',
			'metadata.ticket',
			'loop.goal',
			'workspaceId',
			'skills[0].repo',
		]) {
			expect(checked).toContain(expected);
		}
	});

	it('covers the env keys and the references their templates make', async () => {
		const entry = await everythingEntry();
		const reviewed = fingerprint(entry);
		const withEnv = (env: Record<string, string>) => fingerprint({ ...entry, env });
		expect(withEnv({ ...entry.env, NEW_KEY: 'x' })).not.toBe(reviewed);
		const { GITHUB_TOKEN: token, ...rest } = entry.env;
		expect(withEnv(rest)).not.toBe(reviewed);
		expect(withEnv({ ...rest, OTHER_TOKEN: token! })).not.toBe(reviewed);
		expect(withEnv({ ...entry.env, GITHUB_TOKEN: 'token ${OTHER_TOKEN}' })).not.toBe(reviewed);
		// Literal text is checked by the saved plan's keyed digest, never carried by the fingerprint.
		expect(withEnv({ ...entry.env, GITHUB_TOKEN: 'bearer ${GH_TOKEN}' })).toBe(reviewed);
	});

	it('covers protect and state, and ignores where the entry is written', async () => {
		const entry = await everythingEntry();
		const reviewed = fingerprint(entry);
		expect(fingerprint({ ...entry, protect: !entry.protect })).not.toBe(reviewed);
		expect(fingerprint({ ...entry, state: 'active' })).not.toBe(reviewed);
		expect(fingerprint({ ...entry, source: { file: 'other.yaml', line: 9, column: 3 } })).toBe(
			reviewed
		);
	});
});
