#!/usr/bin/env node
// Writes examples/plan-comment-small.md, examples/plan-comment-300.md and
// examples/plan-comment-300-template.md (the same 300 changes, from one template): real plans, made by
// the library against a local Hub, rendered as the pull-request comment. Each example applies a
// first spec, then plans a second one against what the first left on the Hub.
//
//   npm run examples:plan-comments     # builds, then writes the three files
//
// test/plan/plan-comment-examples.test.ts renders them again and fails when a file differs (it
// never writes them). The local Hub draws ids from a seeded generator and reads a clock that
// ticks one second per reading, and apply runs one write at a time, so every run makes the same
// sessions, ids and fingerprints.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apply, connectHub, loadSpec, plan, renderPlan, startLocalHub } from 'coder-sessions';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUN_URL = 'https://github.com/acme/agents/actions/runs/123456789';
/** What the plan reads from the environment: the env secret a create sends, the digest key. */
const ENV = {
	GH_TOKEN: 'example-token-not-a-secret',
	CODER_SESSIONS_ENV_KEY: 'example-env-key-0123456789abcdef0123456789abcdef',
};
const GITHUB = [{ account: 'acme', repos: ['agents', 'web'] }];

/** mulberry32: a small seeded generator, so the Hub's ids repeat from run to run. */
function seeded(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A clock that moves one second each time it is read. */
function ticking(start) {
	let at = Date.parse(start);
	return () => new Date((at += 1000));
}

const SMALL_BEFORE = `version: 1
stack: acme-agents
defaults:
  tags: [docs]
sessions:
  docs-review:
    task: |
      Review the open pull requests labelled docs.
      Check links and code samples.
      Comment with what to fix.
    label: Docs review
  triage:
    task: Triage new issues and label them.
    label: Triage
  old-spike:
    task: Try the new agent roster on the docs site.
    label: Old spike
  web-e2e:
    task: Run the web end-to-end suite and report failures.
    label: Web e2e
    repo: acme/web#main
`;

/** A pull request: a label and a tag, a task edited (a replace), an entry removed, one added. */
const SMALL_AFTER = `version: 1
stack: acme-agents
defaults:
  tags: [docs]
sessions:
  docs-review:
    task: |
      Review the open pull requests labelled docs.
      Check links and code samples.
      Comment with what to fix.
    label: Docs review (nightly)
    tags: [nightly]
  triage:
    task: Triage new issues, label them and close duplicates.
    label: Triage
  web-e2e:
    task: Run the web end-to-end suite and report failures.
    label: Web e2e
    repo: acme/web#main
  release-notes:
    task: Draft the release notes for the next version from merged pull requests.
    label: Release notes
    repo: acme/agents#main
    env:
      GH_TOKEN: \${GH_TOKEN}
`;

const pad = (n) => String(n).padStart(3, '0');
const worker = (n, task = `Work through shard ${n} of the migration backlog.`) =>
	`  worker-${pad(n)}:\n    task: ${task}\n    label: Worker ${n}\n`;
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const HEADER = 'version: 1\nstack: acme-migration\ndefaults:\n  tags: [migration]\nsessions:\n';

/** 45 workers on the Hub. */
const LARGE_BEFORE =
	HEADER +
	range(1, 45)
		.map((n) => worker(n))
		.join('');

/**
 * 300 changes, too many to show each one's details in a comment: 20 updates (a tag), 3 replaces
 * (a task), 3 archives and 274 creates; 19 workers stay as they are.
 */
const LARGE_AFTER =
	HEADER +
	[
		...range(1, 20).map((n) => `${worker(n)}    tags: [wave-2]\n`),
		...range(21, 23).map((n) => worker(n, `Work through shard ${n} again, from the start.`)),
		...range(24, 42).map((n) => worker(n)),
		...range(46, 319).map((n) => worker(n)),
	].join('');

/**
 * The same 300 changes from one template, `worker`: a forEach over the shard numbers (keys
 * `worker.001`, ...), each item with its own wave (a tag) and pass (in the task). The wave of
 * workers 1-20 moves on (updates), the pass of 21-23 starts again (replaces).
 */
const FIRST_PASS = 'of the migration backlog';
const workers = (items) =>
	HEADER +
	'  worker:\n    forEach:\n' +
	items
		.map(({ n, wave = 'wave-1', pass = FIRST_PASS }) => {
			const value = `{ wave: ${wave}, pass: ${JSON.stringify(pass)} }`;
			return `      '${pad(n)}': ${value}\n`;
		})
		.join('') +
	'    task: Work through shard ${each.key} ${each.value.pass}.\n' +
	'    label: Worker ${each.key}\n' +
	"    tags: ['${each.value.wave}']\n";

const TEMPLATE_BEFORE = workers(range(1, 45).map((n) => ({ n })));
const TEMPLATE_AFTER = workers([
	...range(1, 20).map((n) => ({ n, wave: 'wave-2' })),
	...range(21, 23).map((n) => ({ n, pass: 'again, from the start' })),
	...range(24, 42).map((n) => ({ n })),
	...range(46, 319).map((n) => ({ n })),
]);

export const EXAMPLES = [
	{ file: 'examples/plan-comment-small.md', before: SMALL_BEFORE, after: SMALL_AFTER, seed: 7 },
	{ file: 'examples/plan-comment-300.md', before: LARGE_BEFORE, after: LARGE_AFTER, seed: 300 },
	{
		file: 'examples/plan-comment-300-template.md',
		before: TEMPLATE_BEFORE,
		after: TEMPLATE_AFTER,
		seed: 300,
	},
];

/** One example: the first spec applied to a fresh local Hub, the second planned against it. */
async function renderExample({ before, after, seed }) {
	const dir = await mkdtemp(join(tmpdir(), 'plan-comment-example-'));
	const local = await startLocalHub({
		random: seeded(seed),
		now: ticking('2026-01-05T09:00:00.000Z'),
		githubRepos: GITHUB,
	});
	const options = { env: ENV, cwd: dir };
	// The local Hub's address changes from run to run; its identity (what the fingerprint
	// covers) is that of `--local`, the embedded local Hub.
	const connected = await connectHub({ url: local.url }, options);
	const hub = { ...connected, target: { local: true } };
	try {
		await writeFile(join(dir, 'sessions.yaml'), before);
		const load = () => loadSpec(['sessions.yaml'], options);
		const first = await plan(await load(), hub, options);
		const applied = await apply(first, hub, { ...options, parallelism: 1 });
		if (applied.status !== 'applied' || !applied.succeeded) {
			throw new Error(`the first spec did not apply: ${JSON.stringify(applied.status)}`);
		}
		await writeFile(join(dir, 'sessions.yaml'), after);
		const second = await plan(await load(), hub, options);
		return renderPlan(second, { format: 'markdown', meta: { runUrl: RUN_URL } });
	} finally {
		await connected.close();
		await local.close();
		await rm(dir, { recursive: true, force: true });
	}
}

/** Each example file and the text it should hold. */
export async function renderExamples() {
	const out = [];
	for (const example of EXAMPLES)
		out.push({ file: example.file, text: await renderExample(example) });
	return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	for (const { file, text } of await renderExamples()) {
		await writeFile(join(ROOT, file), text);
		console.log(`wrote ${file} (${text.length.toLocaleString('en-US')} characters)`);
	}
}
