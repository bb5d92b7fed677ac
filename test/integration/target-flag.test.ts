/** `--target` (Terraform's flag) is refused with a pointer to --only, before the Hub is asked. */
import { describe, expect, it } from 'vitest';
import { cli, hubForTest, useTempDir, writeSpec } from '../support/local-hub.js';

describe.concurrent('--target against a Hub', () => {
	const dir = useTempDir();

	for (const command of ['plan', 'apply']) {
		it(`${command} --target=KEY exits 1, suggests --only and sends no request`, async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const file = await writeSpec(dir.path, `${command}.yaml`, {
				stack: 'target',
				sessions: { docs: { task: 'Docs' } },
			});
			const args = command === 'apply' ? ['--auto-approve'] : [];
			const result = await cli(hub, [command, '--target=docs', ...args, '-f', file], {
				cwd: dir.path,
			});
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(`e.g. ${command} --only docs`);
			expect(hub.stats().total ?? 0).toBe(0);
		});
	}
});
