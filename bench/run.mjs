// npm run bench: measures the local Hub's store, plan and apply against a local Hub with
// injected latency, side by side with the floors and baselines they are compared to, and how
// fast the CLI starts and gives up when there is no Hub.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchStore } from './store.mjs';
import { benchPlan } from './plan.mjs';
import { benchPlanMemory } from './memory.mjs';
import { benchApply } from './apply.mjs';
import { benchFailFast } from './fail-fast.mjs';
import { benchDiscovery } from './discovery.mjs';
import { benchStartup } from './startup.mjs';
import { benchKinds } from './kinds.mjs';
import { workdir } from './lib.mjs';

const dir = workdir();
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
try {
	console.log(`coder-sessions benchmark (node ${process.version}, ${new Date().toISOString()})\n`);
	if (want('startup')) await benchStartup();
	if (want('store')) await benchStore(join(dir, 'store'));
	if (want('plan')) await benchPlan(join(dir, 'plan'));
	if (want('kinds')) await benchKinds(join(dir, 'kinds'));
	if (want('discovery')) await benchDiscovery(join(dir, 'discovery'));
	if (want('memory')) await benchPlanMemory(join(dir, 'memory'));
	if (want('apply')) await benchApply(join(dir, 'apply'));
	if (want('fail-fast')) await benchFailFast(join(dir, 'fail-fast'));
} finally {
	rmSync(dir, { recursive: true, force: true });
}
