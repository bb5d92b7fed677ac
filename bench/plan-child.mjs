// One plan, in a process of its own, through the CLI's own steps, reporting its peak memory.
import { connect, readOnly } from '../dist/hub/client.js';
import { planSessions } from '../dist/plan/diff.js';
import { loadSpecOrFail, planAgainstHub } from '../dist/operations/planning.js';

const [url, file] = process.argv.slice(2);
const io = { env: {}, cwd: process.cwd() };
const spec = await loadSpecOrFail([file], io);
const hub = readOnly(connect({ url, apiKey: 'bench' }));
let started = performance.now();
const { plan, live } = await planAgainstHub(spec, hub, io, { only: [], parallelism: 8 });
const readMs = performance.now() - started;
started = performance.now();
planSessions(spec, live);
const diffMs = performance.now() - started;
const noop = plan.actions.filter((action) => action.kind === 'noop').length;
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify({ maxRssMb, readMs, diffMs, noop, calls: hub.calls }));
