/**
 * A record a run removes stays while a write that was to move something off it failed: a skill
 * bucket replaced (its skills changed: the Hub has no update for buckets) keeps its old record
 * when the workspace's or the session's move onto the new bucket fails, and the next apply
 * finishes the move, then deletes it. Real CLI and CoderClient, local Hub on 127.0.0.1, behind
 * a proxy that refuses one write.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startProxy, type ProxiedRequest } from '../support/apply-helpers.js';
import { projectRoot } from '../support/cli.js';
import { applySpec, cli, hubAndDirForTest, type TestHub } from '../support/local-hub.js';

const EXAMPLE = join(projectRoot, 'examples/team/coder.yaml');
const REFUSED = {
	status: 400,
	body: { error: { code: 'REFUSED', message: 'refused by the test' } },
};

/** The team example applied, then its bucket's skills changed: the next apply replaces it. */
async function teamWithBucketToReplace(prefix: string) {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, prefix);
	const file = join(dir, 'coder.yaml');
	await copyFile(EXAMPLE, file);
	await applySpec(hub, file, { cwd: dir });
	const [old] = (await hub.client.listSkillBuckets()).buckets;
	const spec = await readFile(file, 'utf8');
	await writeFile(
		file,
		spec.replace('savedSkills: [style-guide, release-notes]', 'savedSkills: [style-guide]')
	);
	return { hub, dir, oldBucket: old!.id };
}

async function applyRefusing(hub: TestHub, dir: string, refuse: (r: ProxiedRequest) => boolean) {
	const proxy = await startProxy(hub.url, (request) => (refuse(request) ? REFUSED : undefined));
	onTestFinished(() => proxy.close());
	return cli(proxy.url, ['apply', '--auto-approve', '-f', 'coder.yaml'], { cwd: dir });
}

async function convergesOnNewBucket(hub: TestHub, dir: string, oldBucket: string) {
	const again = await cli(hub, ['apply', '--auto-approve', '-f', 'coder.yaml'], { cwd: dir });
	expect(again.code, again.stdout + again.stderr).toBe(0);
	const buckets = (await hub.client.listSkillBuckets()).buckets.map((bucket) => bucket.id);
	expect(buckets).toHaveLength(1);
	expect(buckets).not.toContain(oldBucket);
	const [workspace] = (await hub.client.listWorkspaces()).workspaces;
	expect(workspace!.skillBucketIds).toEqual(buckets);
	const clean = await cli(hub, ['plan', '-f', 'coder.yaml', '--detailed-exitcode'], { cwd: dir });
	expect(clean.code, clean.stdout + clean.stderr).toBe(0);
}

describe('a removal waits for the writes that move off the record', () => {
	it('keeps the replaced bucket while the workspace still names it', async () => {
		const { hub, dir, oldBucket } = await teamWithBucketToReplace('kinds-removal-ws-');

		const partial = await applyRefusing(
			hub,
			dir,
			(request) => request.method === 'PATCH' && request.path.startsWith('/api/hub/workspaces/')
		);
		expect(partial.code, partial.stdout + partial.stderr).toBe(5);
		// The session stands on the workspace, so it is not replaced either: both still name the bucket.
		expect(partial.stdout).toContain(
			'Not attempted: delete skillBuckets.docs-kit (skillBucket): depends on workspaces.docs, session api-review, which did not succeed and still name it'
		);
		expect(partial.stdout + partial.stderr).not.toContain('    at ');
		// The old bucket kept is said once, as not attempted: the read-back does not call it a surprise.
		expect(partial.stdout).not.toContain('Not converged');
		const [workspace] = (await hub.client.listWorkspaces()).workspaces;
		expect(workspace!.skillBucketIds).toEqual([oldBucket]);
		const buckets = (await hub.client.listSkillBuckets()).buckets.map((bucket) => bucket.id);
		expect(buckets).toContain(oldBucket);
		expect(buckets).toHaveLength(2);

		await convergesOnNewBucket(hub, dir, oldBucket);
	});

	it('keeps a bucket left out of the spec while the workspace still names it', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-removal-pruned-');
		const file = join(dir, 'coder.yaml');
		await copyFile(EXAMPLE, file);
		await applySpec(hub, file, { cwd: dir });
		const [bucket] = (await hub.client.listSkillBuckets()).buckets;
		const spec = await readFile(file, 'utf8');
		// The workspace and the session say they hold no bucket (a field left out is the Hub's to keep).
		const withoutBucket = spec
			.replace(/\nskillBuckets:\n(?: {2}.*\n)+/, '\n')
			.replaceAll('skillBuckets: [docs-kit]', 'skillBuckets: []');
		expect(withoutBucket).not.toContain('docs-kit');
		await writeFile(file, withoutBucket);

		const partial = await applyRefusing(
			hub,
			dir,
			(request) => request.method === 'PATCH' && request.path.startsWith('/api/hub/workspaces/')
		);
		expect(partial.code, partial.stdout + partial.stderr).toBe(5);
		expect(partial.stdout).toContain(
			'Not attempted: delete skillBuckets.docs-kit (skillBucket): depends on workspaces.docs, session api-review, which did not succeed and still name it'
		);
		expect((await hub.client.listSkillBuckets()).buckets.map((each) => each.id)).toEqual([
			bucket!.id,
		]);

		const again = await cli(hub, ['apply', '--auto-approve', '-f', 'coder.yaml'], { cwd: dir });
		expect(again.code, again.stdout + again.stderr).toBe(0);
		expect((await hub.client.listSkillBuckets()).buckets).toEqual([]);
		const [workspace] = (await hub.client.listWorkspaces()).workspaces;
		expect(workspace!.skillBucketIds).toEqual([]);
	});

	it('keeps the replaced bucket while the session still names it', async () => {
		const { hub, dir, oldBucket } = await teamWithBucketToReplace('kinds-removal-session-');

		const partial = await applyRefusing(
			hub,
			dir,
			(request) => request.method === 'POST' && request.path === '/api/hub/session'
		);
		expect(partial.code, partial.stdout + partial.stderr).toBe(5);
		expect(partial.stdout).toContain(
			'Not attempted: delete skillBuckets.docs-kit (skillBucket): depends on session api-review, which did not succeed and still names it'
		);
		// The workspace moved; the session that failed to be replaced still stands on the old bucket.
		const [workspace] = (await hub.client.listWorkspaces()).workspaces;
		expect(workspace!.skillBucketIds).not.toEqual([oldBucket]);
		const buckets = (await hub.client.listSkillBuckets()).buckets.map((bucket) => bucket.id);
		expect(buckets).toContain(oldBucket);

		await convergesOnNewBucket(hub, dir, oldBucket);
	});
});
