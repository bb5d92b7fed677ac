/**
 * What the ownership markers hold and promise: digests that never move between releases, a stamp
 * an update writes that claims only what the session is known to hold, skills the Hub expands
 * left out of comparison, and markers edited by hand read as none.
 */
import { describe, expect, it } from 'vitest';
import { compareSession, compareWithStamp } from '../../src/plan/compare.js';
import { planSessions } from '../../src/plan/diff.js';
import { entryEnvDigests } from '../../src/plan/env/resolve.js';
import { MARKER } from '../../src/ownership/markers.js';
import { stackToken } from '../../src/ownership/search-token.js';
import { buildEnvStamp, buildStamp, formatStamp, parseStamp } from '../../src/ownership/stamp.js';
import { exportEntry } from '../../src/spec/export/entry.js';
import { templateStructure } from '../../src/kinds/session/env-template.js';
import type { DesiredSession } from '../../src/kinds/session/desired.js';
import type { LiveSession } from '../../src/kinds/session/live.js';
import {
	TEST_ENV_KEY,
	TEST_ENV_SECRET,
	desired,
	live,
	liveFor,
	spec,
} from '../support/session-builders.js';

const entry = desired('a', {
	task: 'Review every open pull request of the docs repository and summarise what each one changes.',
	label: 'Docs review',
	tags: ['docs', 'review'],
	metadata: { team: 'docs', owner: 'ana' },
	repo: { owner: 'agentuity', name: 'docs', branch: 'main' },
	env: { API_TOKEN: 'Bearer ${API_TOKEN}' },
});

describe('digests written by an earlier release', () => {
	it('are the ones this release writes, so sessions applied then plan no change now', () => {
		// As apply wrote them before this version: a list, an object written out of key order, a
		// task longer than the short texts memoised, and fields left unset.
		expect(formatStamp(buildStamp(entry))).toBe(
			'{"v":1,"h":{"label":"1a4e9199a6bb9425","visibility":"74234e98afe7498f","tags":"b95c10880b2b4e5a","workflowMode":"74234e98afe7498f","loop":"74234e98afe7498f","agent":"74234e98afe7498f","defaultAgent":"74234e98afe7498f","enabledAgents":"74234e98afe7498f","skills":"74234e98afe7498f","metadata":"a8690304fc4906e0","task":"64a0adc62cc3963c","repo":"f6f00f2af100abe7","repos":"74234e98afe7498f","workspaceId":"74234e98afe7498f","savedSkillIds":"74234e98afe7498f","skillBucketIds":"74234e98afe7498f","sandbox":"74234e98afe7498f"}}'
		);
		expect(formatStamp(buildEnvStamp(entry, { API_TOKEN: 's3cr3t' }, TEST_ENV_KEY)!)).toBe(
			'{"v":2,"i":"872f4d00f2095382","k":{"API_TOKEN":{"s":"ddc5deb9f42469cc","t":"582be0fe8764b6d7710970734a184dba","v":"12d1b451f05b65c166bd14c682afca0d"}}}'
		);
		// The search token sessions carry: discovery verifies its search with it.
		expect(stackToken('docs-team')).toBe('cs00f44342f5be07920d42');
	});

	it('an unset field compares equal to its digest in the stamp', async () => {
		const plain = desired('a', { label: 'Docs review' });
		const session = await liveFor(plain);
		expect(compareWithStamp(session, plain)).toMatchObject({
			changes: [],
			outside: [],
			pending: [],
		});
	});

	it('an entry without env writes no env marker', () => {
		expect(buildEnvStamp(desired('a'), {}, TEST_ENV_KEY)).toBeUndefined();
	});
});

describe('markers edited by hand', () => {
	it('an applied stamp that is not one this tool writes reads as unreadable, not as a stamp', async () => {
		const session = await liveFor(entry, { env: { API_TOKEN: 's3cr3t' } });
		for (const text of [
			'5',
			'"text"',
			'{"v":2,"h":{"label":"x"}}',
			'{"v":1,"h":null}',
			'{"v":1,"h":"x"}',
		]) {
			const edited = { ...session, metadata: { ...session.metadata, [MARKER.applied]: text } };
			expect(parseStamp(text)).toBeUndefined();
			expect(compareWithStamp(edited, entry)).toMatchObject({
				stamp: 'unreadable',
				outside: [{ field: 'stamp' }],
			});
		}
	});

	it('an env stamp of no known version: export writes the env keys the Hub lists', () => {
		for (const text of [
			'{"v":3,"k":{"OTHER":{"s":"x"}}}',
			'{"v":1,"k":{"OTHER":{"t":"x"}}}',
			'{"v":3,"s":"x","k":{"OTHER":{"t":"x"}}}',
		]) {
			const session = live({
				task: 'Task',
				envKeys: ['API_TOKEN'],
				metadata: { [MARKER.appliedEnv]: text },
			});
			expect(exportEntry(session, { adopt: true }).fields.env).toEqual({
				API_TOKEN: '${API_TOKEN}',
			});
		}
	});
});

describe('env templates compared by keyed digest', () => {
	// The key the session was applied with, the variable not set here: only the template tells.
	const KEYED = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET };
	const envChange = (now: DesiredSession, session: LiveSession, env: Record<string, string>) =>
		compareSession(now, session, entryEnvDigests(now, env)).find((c) => c.field === 'env');

	it('other literal text around the same variable is a change', async () => {
		const session = await liveFor(entry, { env: { API_TOKEN: 'Bearer s3cr3t' } });
		expect(envChange(entry, session, KEYED)).toBeUndefined();
		const edited = desired('a', { ...entry, env: { API_TOKEN: 'Token ${API_TOKEN}' } });
		expect(envChange(edited, session, KEYED)).toMatchObject({
			envKeys: [{ key: 'API_TOKEN', change: 'changed' }],
		});
		// Without the key, literal text is not known: the structure is the same.
		expect(envChange(edited, session, {})).toBeUndefined();
		// A template read back from a saved plan holds no literal text: its structure compares.
		const readBack = desired('a', {
			...entry,
			env: { API_TOKEN: templateStructure('Bearer ${API_TOKEN}') },
		});
		expect(envChange(readBack, session, KEYED)).toBeUndefined();
		// A stamp edited to hold no template digest: the structure compares.
		const stamp = JSON.parse(session.metadata[MARKER.appliedEnv]!);
		delete stamp.k.API_TOKEN.t;
		const edited2 = {
			...session,
			metadata: { ...session.metadata, [MARKER.appliedEnv]: JSON.stringify(stamp) },
		};
		expect(envChange(edited, edited2, KEYED)).toBeUndefined();
	});
});

describe('skills the Hub expands from saved skills', () => {
	const own = { skillId: 'lint', repo: 'agentuity/skills' };
	const mine = { skillId: 'format', repo: 'agentuity/skills' };
	const saved = { skillId: 'review', repo: 'agentuity/skills', name: 'Review' };
	const changed = (entryNow: DesiredSession, session: LiveSession) =>
		compareSession(entryNow, session).map((change) => change.field);

	it('adopting a session that holds them plans no skills change', () => {
		const session = live({ task: 'Task for a', detail: { skills: [own, saved] } });
		const adopting = desired('a', {
			skills: [own],
			savedSkillIds: ['sk_review'],
			adopt: session.id,
		});
		expect(changed(adopting, session)).not.toContain('skills');
	});

	it('a session whose key left the spec shows no drift for them while its stamp names saved skills', async () => {
		const applied = desired('a', { skills: [own], savedSkillIds: ['sk_review'] });
		const session = await liveFor(applied, { fields: { detail: { skills: [own, saved] } } });
		expect(compareWithStamp(session, undefined).outside).toEqual([]);
	});

	it('with no saved skills named, now or as applied, a hand-added skill is a change', async () => {
		const none = desired('a', { skills: [own], savedSkillIds: [] });
		const session = await liveFor(none, { fields: { detail: { skills: [own, saved] } } });
		expect(changed(none, session)).toEqual(['skills']);
		// A stamp written before saved skills, buckets and workspaces were stamped names none.
		const plain = desired('a', { skills: [own] });
		const older = await liveFor(plain, { fields: { detail: { skills: [own, saved] } } });
		const h = { ...parseStamp(older.metadata[MARKER.applied])!.h };
		delete h.savedSkillIds;
		delete h.skillBucketIds;
		delete h.workspaceId;
		const withOlder = {
			...older,
			metadata: { ...older.metadata, [MARKER.applied]: formatStamp({ v: 1, h }) },
		};
		expect(changed(plain, withOlder)).toEqual(['skills']);
	});

	it('one declared skill of several removed by hand is a change', async () => {
		const applied = desired('a', { skills: [own, mine], savedSkillIds: ['sk_review'] });
		const session = await liveFor(applied, { fields: { detail: { skills: [own, saved] } } });
		expect(compareSession(applied, session)).toMatchObject([
			{ field: 'skills', before: [own, saved] },
		]);
	});
});

describe('the stamp an update writes', () => {
	const applied = desired('a', {
		label: 'Old',
		agent: 'lead',
		tags: ['x'],
		metadata: { team: 'docs' },
	});

	async function updated(next: DesiredSession, edits: Partial<LiveSession> = {}) {
		const before = await liveFor(applied);
		const session = { ...before, ...edits, metadata: { ...before.metadata, ...edits.metadata } };
		const update = planSessions(spec([next]), [session]).actions[0]!;
		expect(update.kind).toBe('update');
		if (update.kind !== 'update') throw new Error('no update');
		const after = {
			...session,
			label: next.label ?? session.label,
			metadata: { ...session.metadata, [MARKER.applied]: update.stamp },
		};
		return { stamp: parseStamp(update.stamp)!.h, after };
	}

	it('claims what it sent and what the Hub shows equal: drift finds nothing right after', async () => {
		// Tags and metadata were set by hand to what the spec now says: seen equal, not sent.
		const next = desired('a', {
			label: 'New',
			agent: 'scout',
			tags: ['x', 'y'],
			metadata: { team: 'docs', owner: 'ana' },
		});
		const { stamp, after } = await updated(next, {
			tags: ['x', 'y'],
			metadata: { owner: 'ana' },
		});
		expect(stamp).toEqual(buildStamp(next).h);
		expect(compareWithStamp(after, next)).toMatchObject({ changes: [], outside: [], pending: [] });
	});

	it('keeps the digest of an optional field the entry stops declaring', async () => {
		const next = desired('a', { agent: 'scout', tags: ['x'], metadata: { team: 'docs' } });
		const { stamp, after } = await updated(next);
		expect(stamp.label).toBe(buildStamp(applied).h.label);
		// Declared again as it was, it is neither an edit of the spec nor drift.
		const again = { ...next, label: 'Old' };
		expect(compareWithStamp(after, again)).toMatchObject({ changes: [], outside: [], pending: [] });
	});

	it('claims nothing of a field it neither sent nor saw', async () => {
		// A stamp from before agent was stamped: the agent the session runs is not known.
		const h = { ...buildStamp(applied).h };
		delete h.agent;
		const next = desired('a', {
			label: 'New',
			agent: 'scout',
			tags: ['x'],
			metadata: { team: 'docs' },
		});
		const { stamp } = await updated(next, {
			metadata: { [MARKER.applied]: formatStamp({ v: 1, h }) },
		});
		expect(stamp.agent).toBeUndefined();
		expect(stamp.label).toBe(buildStamp(next).h.label);
	});

	it('leaves the digest of an ignored field as it was', async () => {
		const next = desired('a', {
			label: 'New',
			agent: 'scout',
			tags: ['x'],
			metadata: { team: 'docs' },
			ignoreChanges: ['agent'],
		});
		const { stamp } = await updated(next);
		expect(stamp.agent).toBe(buildStamp(applied).h.agent);
		expect(stamp.label).toBe(buildStamp(next).h.label);
	});
});
