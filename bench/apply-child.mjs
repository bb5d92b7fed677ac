// One apply, in a process of its own, through the CLI's own command, reporting its peak memory.
import { runApply } from '../dist/cli/actions/apply.js';

const [url, file] = process.argv.slice(2);
const io = { out() {}, err() {}, isTTY: false, env: {}, cwd: process.cwd() };
const started = performance.now();
const code = await runApply(undefined, { autoApprove: true, url, file: [file] }, io);
const ms = performance.now() - started;
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify({ code, ms, maxRssMb }));
