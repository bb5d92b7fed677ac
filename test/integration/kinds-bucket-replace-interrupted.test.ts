/**
 * A skill bucket replaced (its skills changed: the Hub has no update for buckets) by an apply
 * that stopped after the new bucket's create, before the old one's delete: the next apply keeps
 * the new bucket instead of replacing the old one again, moves the workspace and the session
 * onto it, and only then deletes the old one. Real CLI and CoderClient, local Hub on 127.0.0.1,
 * behind a proxy that refuses the workspace's update once: the old bucket's delete waits for it,
 * so the run leaves what a run stopped right after the new bucket's create leaves.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readMarker } from '../../src/kinds/description-marker.js';
import { startProxy } from '../support/apply-helpers.js';
import { projectRoot } from '../support/cli.js';
import { applySpec, cli, hubAndDirForTest } from '../support/local-hub.js';

const EXAMPLE = join(projectRoot, 'examples/team/coder.yaml');
const BUCKETS = '/api/hub/skills/buckets';

describe('a bucket replace that stopped part way', () => {
	it('the next apply keeps the bucket the stopped run made, and makes none', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-bucket-replace-');
		const file = join(dir, 'coder.yaml');
		await copyFile(EXAMPLE, file);
		await applySpec(hub, file, { cwd: dir });
		const [old] = (await hub.client.listSkillBuckets()).buckets;
		const spec = await readFile(file, 'utf8');
		const fewerSkills = 'savedSkills: [style-guide] # release-notes left out';
		await writeFile(file, spec.replace('savedSkills: [style-guide, release-notes]', fewerSkills));

		// The workspace's move refused: the old bucket stays, and nothing stands on the new one.
		const refusing = await startProxy(hub.url, (request) =>
			request.method === 'PATCH' && request.path.startsWith('/api/hub/workspaces/')
				? { status: 400, body: { error: { code: 'REFUSED', message: 'refused by the test' } } }
				: undefined
		);
		onTestFinished(() => refusing.close());
		const stopped = await cli(refusing.url, ['apply', '--auto-approve', '-f', 'coder.yaml'], {
			cwd: dir,
		});
		expect(stopped.code, stopped.stdout + stopped.stderr).toBe(5);
		const left = (await hub.client.listSkillBuckets()).buckets;
		expect(left.map((bucket) => readMarker(bucket.description).owner?.key)).toEqual([
			'docs-kit',
			'docs-kit',
		]);
		const made = left.find((bucket) => bucket.id !== old!.id)!;
		// The old bucket has the lower id (the local Hub's ids are seeded), the record a plan keeps
		// of a key's several by default: the case where keeping it made one bucket more.
		expect(old!.id < made.id).toBe(true);

		const planned = await cli(hub, ['plan', '-f', 'coder.yaml'], { cwd: dir });
		expect(planned.code, planned.stdout + planned.stderr).toBe(0);
		expect(planned.stdout).not.toContain('replace  skillBuckets.docs-kit');
		expect(planned.stdout).toContain(
			`- delete   skillBuckets.docs-kit (skillBucket)  ${old!.id} (keeps ${made.id})`
		);

		const logging = await startProxy(hub.url);
		onTestFinished(() => logging.close());
		const again = await cli(logging.url, ['apply', '--auto-approve', '-f', 'coder.yaml'], {
			cwd: dir,
		});
		expect(again.code, again.stdout + again.stderr).toBe(0);
		const writes = logging.log.filter((request) => request.method !== 'GET');
		expect(writes.filter((request) => request.path === BUCKETS)).toEqual([]);
		// The workspace and the new session name the kept bucket before the old one goes.
		const paths = writes.map((request) => request.path);
		const moved = writes.flatMap((request, index) =>
			JSON.stringify(request.body ?? {}).includes(made.id) ? [index] : []
		);
		expect(moved.map((index) => paths[index]).sort()).toEqual([
			'/api/hub/session',
			expect.stringMatching(/^\/api\/hub\/workspaces\//),
		]);
		expect(Math.max(...moved)).toBeLessThan(paths.indexOf(`${BUCKETS}/${old!.id}`));

		expect((await hub.client.listSkillBuckets()).buckets.map((bucket) => bucket.id)).toEqual([
			made.id,
		]);
		const [workspace] = (await hub.client.listWorkspaces()).workspaces;
		expect(workspace!.skillBucketIds).toEqual([made.id]);
		const clean = await cli(hub, ['plan', '-f', 'coder.yaml', '--detailed-exitcode'], {
			cwd: dir,
		});
		expect(clean.code, clean.stdout + clean.stderr).toBe(0);
	});
});
