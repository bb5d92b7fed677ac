/**
 * Text from the Hub and from a spec is untrusted: labels, tags, metadata, keys and tasks seeded
 * with terminal escapes, line breaks followed by GitHub Actions workflow commands, bidi
 * overrides, markdown fence breakers, `</details>` and mentions. Every command's output (plan
 * text, markdown and JSON, saved plans shown and applied, apply text and JSON, status, drift, and
 * a Hub error that echoes such text) keeps them inert: no line a workflow command, no raw control
 * character on a terminal, markdown whose fences and `<details>` hold, and JSON that round-trips
 * the exact values. Real CLI, local Hub on 127.0.0.1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriftJsonV1 } from '../../src/render/drift.js';
import type { PlanJsonV1 } from '../../src/render/json.js';
import type { ApplyJsonV1 } from '../../src/render/apply-json.js';
import type { StatusJsonV1 } from '../../src/render/status.js';
import { startProxy, type ProxiedRequest } from '../support/apply-helpers.js';
import { runCli, type CliResult } from '../support/cli.js';
import {
	applySpec,
	cli,
	editLive,
	hubForTest,
	liveIdsByKey,
	seedMarked,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';
import { HOSTILE, textProblems, type Format } from '../support/hostile-text.js';

const HOSTILE_KEY = 'evil\n::error title=key::from a key\x1b]0;t\x07';
const HOSTILE_META_KEY = 'meta\n::error::from a metadata key';

/** A live task, as the Hub may hold it: any character. */
const LIVE_TASK = [
	'Live task',
	'::error title=task::from a task line',
	'  ::notice::indented task line',
	'\x1b[2J\x1b]0;title\x07 \u009b2J \u202eevil',
	'```',
	'LIVETAIL after a fence breaker',
].join('\n');

/** A spec's task: YAML allows no control characters, but lines, bidi text and markup it does. */
const SPEC_TASK = [
	'Spec task',
	'::error title=spec::from a spec task',
	'\t::warning::after a tab',
	'\u00a0::notice::after a no-break space',
	'##[error]legacy in a task',
	'bidi \u202egnp.exe',
	'````',
	'```',
	'~~~',
	'</details>',
	'@here',
	'TASKTAIL after the fence breakers',
].join('\n');
const SPEC_LABEL = 'Label \u202eevil</details> @here | ``` ##[error]x';

const STACK = 'hostile';

const firstSpec: SpecDoc = {
	stack: STACK,
	sessions: {
		upd: { label: 'Upd', tags: ['a'], metadata: { team: 'x' }, task: 'Task upd.' },
		rep: { label: 'Rep', task: 'Task rep v1.' },
	},
};

const secondSpec: SpecDoc = {
	stack: STACK,
	sessions: {
		upd: { label: 'Upd', tags: ['a'], metadata: { team: 'x' }, task: 'Task upd.' },
		rep: { label: 'Rep', task: SPEC_TASK },
		fresh: { label: SPEC_LABEL, task: SPEC_TASK, metadata: { note: SPEC_LABEL } },
		old: { task: 'Task old v2.' },
	},
};

/**
 * A Hub whose stack holds hostile text: `upd` edited by hand, a session under a hostile key
 * (archived by the plan), and `old` with a hostile live task (replaced by the plan).
 */
async function hostileHub(
	onTestFinished: (fn: () => Promise<void>) => void,
	dir: string,
	name: string
): Promise<{ hub: TestHub; file: string }> {
	const hub = await hubForTest(onTestFinished);
	await applySpec(hub, await writeSpec(dir, `${name}-1.yaml`, firstSpec), { cwd: dir });
	const ids = await liveIdsByKey(hub, STACK);
	await editLive(hub, ids.upd!, {
		label: HOSTILE,
		tags: [HOSTILE, 'a'],
		metadata: { team: HOSTILE, [HOSTILE_META_KEY]: HOSTILE },
	});
	await seedMarked(hub, STACK, HOSTILE_KEY, { task: LIVE_TASK, label: HOSTILE, tags: [HOSTILE] });
	await seedMarked(hub, STACK, 'old', { task: LIVE_TASK, label: HOSTILE });
	return { hub, file: await writeSpec(dir, `${name}-2.yaml`, secondSpec) };
}

/** Per item of a forEach: a task line and a label that a table cell must hold inert. */
const ITEM_TEXT = {
	pipes: {
		line: '::set-output name=pwned::TASKTAIL | cell | break `tick` @octocat',
		label: 'Pipes | `code` @here ::set-output name=x::y',
	},
	html: {
		line: '\u00a0::error::x </details></summary><script>alert(1)</script> TASKTAIL',
		label: 'Html </details><b>bold</b> *em* _u_ [link](https://example.com) ##[error]x',
	},
	bidi: {
		line: '##[warning]legacy \u202egnp.exe \\| backslash-pipe TASKTAIL',
		label: `Bidi \u202eevil ${SPEC_LABEL}`,
	},
};
const ITEM_TASK = 'Shared first line.\n${each.value.line}\nShared last line.';

/** Grouped: creates whose task line and label differ per item, and updates of hostile live labels. */
const groupedSpec = (tags: string[]): SpecDoc => ({
	stack: STACK,
	sessions: {
		grp: { forEach: ITEM_TEXT, task: ITEM_TASK, label: '${each.value.label}' },
		// Lines of different counts: each key's whole task in its cell.
		lines: {
			forEach: { one: { task: `One\n${SPEC_TASK}` }, two: { task: 'Two' } },
			task: '${each.value.task}',
		},
		upd: { forEach: ['a', 'b', 'c'], task: 'Task ${each.key}.', label: 'Upd', tags },
	},
});

/** Every problem of a command's output; stderr is text in every format. */
function outputProblems(result: CliResult, format: Format, what: string): string[] {
	return [
		...textProblems(result.stdout, format, `${what} stdout`),
		...textProblems(result.stderr, 'text', `${what} stderr`),
	];
}

describe.concurrent('hostile text from the Hub and the spec', () => {
	const dir = useTempDir();

	it('stays inert in plan, show, apply of a saved plan, status and drift, in every format', async ({
		onTestFinished,
	}) => {
		const { hub, file } = await hostileHub(onTestFinished, dir.path, 'read');
		const run = (args: string[]) => cli(hub, args, { cwd: dir.path });
		const outputs: [string, Format, CliResult][] = [];
		const record = async (what: string, format: Format, args: string[]) => {
			const result = await run(args);
			outputs.push([what, format, result]);
			return result;
		};

		await record('status', 'text', ['status', '-f', file]);
		const status = await record('status json', 'json', ['status', '-f', file, '--format', 'json']);
		await record('drift', 'text', ['drift', '-f', file]);
		const drift = await record('drift json', 'json', ['drift', '-f', file, '--format', 'json']);
		await record('plan', 'text', ['plan', '-f', file, '--out', 'hostile.plan']);
		await record('plan markdown', 'markdown', ['plan', '-f', file, '--format', 'markdown']);
		const plan = await record('plan json', 'json', ['plan', '-f', file, '--format', 'json']);
		await record('show', 'text', ['show', 'hostile.plan']);
		await record('show markdown', 'markdown', ['show', 'hostile.plan', '--format', 'markdown']);
		const shown = await record('show json', 'json', ['show', 'hostile.plan', '--format', 'json']);
		const applied = await record('apply plan', 'text', ['apply', 'hostile.plan']);

		for (const [what, , result] of outputs)
			expect(result.code, `${what}\n${result.stderr}`).not.toBe(1);
		expect(applied.code, applied.stdout + applied.stderr).toBe(0);
		expect(
			outputs.flatMap(([what, format, result]) => outputProblems(result, format, what))
		).toEqual([]);

		// JSON is exact: the values parse back to what the Hub holds.
		const statusJson = JSON.parse(status.stdout) as StatusJsonV1;
		expect(statusJson.sessions.find((s) => s.key === HOSTILE_KEY)?.label).toBe(HOSTILE);
		expect(statusJson.sessions.find((s) => s.key === 'upd')?.label).toBe(HOSTILE);
		const driftJson = JSON.parse(drift.stdout) as DriftJsonV1;
		const upd = driftJson.sessions.find((s) => s.key === 'upd');
		expect(upd?.label).toBe(HOSTILE);
		expect(upd?.outside.find((change) => change.field === 'label')?.live).toBe(HOSTILE);
		for (const result of [plan, shown]) {
			const planJson = JSON.parse(result.stdout) as PlanJsonV1;
			const archive = planJson.actions.find((action) => action.key === HOSTILE_KEY);
			expect(archive).toMatchObject({ kind: 'archive', label: HOSTILE });
			const update = planJson.actions.find((action) => action.key === 'upd');
			expect(update?.changes?.find((change) => change.field === 'label')).toMatchObject({
				before: HOSTILE,
				after: 'Upd',
			});
			const created = planJson.actions.find((action) => action.key === 'fresh');
			expect(created?.desired?.task).toBe(SPEC_TASK);
		}
	});

	it('stays inert in apply text and JSON, and in a Hub error that echoes it', async ({
		onTestFinished,
	}) => {
		const { hub, file } = await hostileHub(onTestFinished, dir.path, 'apply');
		const isCreate = (request: ProxiedRequest) =>
			request.method === 'POST' && /\/hub\/session(\?|$)/.test(request.path);
		let creates = 0;
		// The first create fails with the hostile text in its error; the others pass through.
		const proxy = await startProxy(hub.url, (request) =>
			isCreate(request) && (creates += 1) === 1
				? { status: 400, body: { error: `rejected ${HOSTILE}` } }
				: undefined
		);
		onTestFinished(() => proxy.close());
		const json = await cli(proxy.url, ['apply', '--auto-approve', '-f', file, '--format', 'json'], {
			cwd: dir.path,
		});
		expect(json.code, json.stderr).toBe(5);
		const again = await cli(hub, ['apply', '--auto-approve', '-f', file], { cwd: dir.path });
		expect(again.code, again.stdout + again.stderr).toBe(0);
		expect([
			...outputProblems(json, 'json', 'apply json'),
			...outputProblems(again, 'text', 'apply'),
		]).toEqual([]);
		// A saved plan gone stale names the hostile key in its reasons (text and JSON).
		const planned = await cli(hub, ['plan', '-f', file, '--out', 'stale.plan'], { cwd: dir.path });
		expect(planned.code, planned.stderr).toBe(0);
		await seedMarked(hub, STACK, HOSTILE_KEY, { task: LIVE_TASK, label: HOSTILE });
		const staleText = await cli(hub, ['apply', 'stale.plan'], { cwd: dir.path });
		const staleJson = await cli(hub, ['apply', 'stale.plan', '--format', 'json'], {
			cwd: dir.path,
		});
		expect(staleText.code, staleText.stderr).toBe(4);
		expect(staleJson.code, staleJson.stderr).toBe(4);
		expect(staleText.stderr).toContain('archive evil\\n::error title=key::from a key\\u001b]0;t');
		expect([
			...outputProblems(staleText, 'text', 'apply stale'),
			...outputProblems(staleJson, 'json', 'apply stale json'),
		]).toEqual([]);
		const staleDocument = JSON.parse(staleJson.stdout) as ApplyJsonV1;
		expect(staleDocument.reasons.some((reason) => reason.includes(HOSTILE_KEY))).toBe(true);
		const document = JSON.parse(json.stdout) as ApplyJsonV1;
		expect(document.actions.find((action) => action.key === HOSTILE_KEY)).toMatchObject({
			kind: 'archive',
			status: 'applied',
		});
		const failed = document.actions.find((action) => action.status === 'failed');
		expect(failed?.message).toContain('rejected');
	});

	it('stays inert in the tables of a plan grouped by template', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const first = await writeSpec(dir.path, 'grouped-1.yaml', {
			stack: STACK,
			sessions: { upd: groupedSpec([]).sessions.upd! },
		});
		await applySpec(hub, first, { cwd: dir.path });
		for (const id of Object.values(await liveIdsByKey(hub, STACK)))
			await editLive(hub, id, { label: HOSTILE });
		const file = await writeSpec(dir.path, 'grouped-2.yaml', groupedSpec(['wave-2']));
		const run = (args: string[]) => cli(hub, args, { cwd: dir.path });
		const markdown = await run(['plan', '-f', file, '--format', 'markdown']);
		const text = await run(['plan', '-f', file]);
		const json = await run(['plan', '-f', file, '--format', 'json']);
		for (const result of [markdown, text, json]) expect(result.code, result.stderr).toBe(0);
		// Grouped indeed: one block per template, the hostile text in its table.
		for (const template of ['grp', 'lines', 'upd'])
			expect(markdown.stdout).toContain(`from template <b>${template}</b>`);
		expect(markdown.stdout).toMatch(/^\| grp\.pipes \|.*TASKTAIL/m);
		expect(markdown.stdout).toMatch(/^\| upd\.a \| codesess/m);
		expect(text.stdout).toContain('3 sessions from template grp');
		// A row of the text table is one line of cells: a tab of a task line shows as `\t`.
		expect(text.stdout).toMatch(/^ +lines\.one +One ⏎ Spec task ⏎ .* ⏎ \\t\\u003a:warning::/m);
		expect([
			...outputProblems(markdown, 'markdown', 'grouped plan markdown'),
			...outputProblems(text, 'text', 'grouped plan'),
			...outputProblems(json, 'json', 'grouped plan json'),
		]).toEqual([]);
		// JSON stays exact.
		const plan = JSON.parse(json.stdout) as PlanJsonV1;
		const pipes = plan.actions.find((action) => action.key === 'grp.pipes');
		expect(pipes).toMatchObject({ template: 'grp', desired: { label: ITEM_TEXT.pipes.label } });
		expect(pipes?.desired?.task).toBe(
			`Shared first line.\n${ITEM_TEXT.pipes.line}\nShared last line.`
		);
		expect(plan.actions.find((action) => action.key === 'upd.a')?.label).toBe(HOSTILE);
	});
});

describe.concurrent('hostile text on the command line', () => {
	it('stays inert in the usage errors of an unknown option or command', async () => {
		for (const args of [
			['plan', '--x\n::error::option'],
			['pla\n::stop-commands::tok'],
			['plan', '--format', 'md\n::add-mask::x'],
		]) {
			const result = await runCli(args);
			expect(result.code, result.stderr).toBe(1);
			expect(textProblems(result.stdout + result.stderr, 'text', args.join(' '))).toEqual([]);
			expect(result.stderr).toContain('\\u003a:');
		}
	});
});

describe.skipIf(process.platform === 'win32')('hostile spec file names', () => {
	const dir = useTempDir('hostile-names-');

	it('stay inert in what validate prints of a spec folder, its env note included', async () => {
		// A pull request can add a file of any name to a spec folder that CI validates.
		const name = 'team\x1b]0;title\x07\x1b[31m.yaml';
		await writeSpec(dir.path, name, {
			stack: 'names',
			sessions: { one: { task: 'One.', env: { TOKEN: '${NAMES_TOKEN_UNSET}' } } },
		});
		const result = await runCli(['validate', '-f', dir.path], { cwd: dir.path });
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain('team\\u001b]0;title\\u0007\\u001b[31m.yaml: 1 entry');
		expect(result.stderr).toContain('team\\u001b]0;title');
		expect(textProblems(result.stdout + result.stderr, 'text', 'validate')).toEqual([]);
	});

	it('stay inert in the files fmt names, with --check and when it rewrites them', async () => {
		const sub = join(dir.path, 'fmt');
		await mkdir(sub);
		const name = 'fmt\x1b]0;title\x07.yaml';
		await writeFile(join(sub, name), 'sessions:\n  a:\n    task: One\nstack: names\nversion: 1\n');
		for (const args of [
			['fmt', '--check', name],
			['fmt', name],
		]) {
			const result = await runCli(args, { cwd: sub });
			expect(result.stdout).toBe('fmt\\u001b]0;title\\u0007.yaml\n');
			expect(textProblems(result.stdout + result.stderr, 'text', args.join(' '))).toEqual([]);
		}
	});
});
