import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-code.js';
import { fetchRefusesPort } from '../../hub/fetch-ports.js';
import type { Io } from '../io.js';
import { optionalNumber, parseNumber } from '../options.js';
import type { CommandHost } from '../run.js';

export const DEFAULT_STATE_FILE = '.coder-sessions/local-hub.json';

interface ServeFlags {
	readonly port: string;
	readonly host: string;
	/** false with --no-state. */
	readonly state: string | false;
	readonly token?: string;
	readonly tokenFile?: string;
	readonly latencyMs?: string;
	readonly failRate?: string;
	readonly rateLimit?: string;
	readonly resetAfterCommit?: string;
	readonly activateAfterMs?: string;
	readonly snapshotReadyAfterMs?: string;
	readonly snapshotFailRate?: string;
	readonly idleTimeoutMs?: string;
	readonly lenient?: boolean;
	readonly githubRepos?: string;
	readonly searchIgnoresMetadata?: boolean;
	readonly searchDelayMs?: string;
	readonly fixtures?: string;
	readonly simulateActivity?: boolean;
	readonly echoEnv?: boolean;
	readonly maxPageSize?: string;
	readonly totalSurplus?: string;
	readonly spawnWorkers?: string;
}

export function registerHub(program: Command, host: CommandHost): void {
	const hub = program
		.command('hub')
		.description('Run a local Coder Hub for trying things out and for tests');
	hub
		.command('serve')
		.description('Serve the Hub session API on this machine (state kept in a journal file)')
		.option('--port <port>', 'port to listen on; 0 picks a free one', '4100')
		.option('--host <host>', 'address to listen on', '127.0.0.1')
		.option(
			'--state <file>',
			'journal file holding the sessions; a symlink is followed once, at start, and the file it points at is written (the link stays)',
			DEFAULT_STATE_FILE
		)
		.option('--no-state', 'keep sessions in memory only')
		.option(
			'--token <token>',
			'require this API key (Authorization: Bearer <token>); other users see it in ps: prefer --token-file'
		)
		.option(
			'--token-file <file>',
			'require the API key this file holds (its first line), kept out of the command line'
		)
		.option('--latency-ms <ms>', 'delay every API request by this many milliseconds')
		.option('--fail-rate <rate>', 'answer this share (0..1) of API requests with 503')
		.option('--rate-limit <n>', 'allow N API requests per second (N or N/s), then 429')
		.option(
			'--reset-after-commit <rate>',
			'drop the connection after this share (0..1) of creates commit'
		)
		.option(
			'--activate-after-ms <ms>',
			'new sessions read as creating, then provisioning, until this old (default 3000)'
		)
		.option(
			'--snapshot-ready-after-ms <ms>',
			'workspace snapshot builds read as building until this old, then ready (default 5000)'
		)
		.option(
			'--snapshot-fail-rate <rate>',
			'end this share (0..1) of workspace snapshot builds as failed, with an error'
		)
		.option(
			'--idle-timeout-ms <ms>',
			"live sessions without activity for this long read as paused until resumed (a session's own timeout.idle wins)"
		)
		.option(
			'--lenient',
			'accept what the REST reference does not document (undocumented PATCH keys, writes to archived sessions, unknown ids), as earlier versions did'
		)
		.option(
			'--github-repos <file>',
			'JSON or YAML list of {account, repos} served as GitHub repos (default: .coder-sessions/github-repos.yaml when present, as --local reads it)'
		)
		.option(
			'--search-ignores-metadata',
			'make list search match label and task only, never metadata (a weaker Hub)'
		)
		.option(
			'--search-delay-ms <ms>',
			'make a new session findable by list search only this long after its creation'
		)
		.option(
			'--fixtures <file>',
			'JSON or YAML mapping of users, skills, buckets, workspaces and agents put in place at start (records already in the state are kept)'
		)
		.option(
			'--simulate-activity',
			'give new sessions participants, events and a replay (status and the session data routes show them)'
		)
		.option(
			'--echo-env',
			'echo env values in the session detail, as a real Hub may (held in memory only, never in the state file)'
		)
		.option('--max-page-size <n>', 'the largest page a session list returns (default 1000)')
		.option(
			'--total-surplus <n>',
			'add N to every session list total, as the Hub counts more than it lists'
		)
		.option(
			'--spawn-workers <n>',
			'spawn N worker sessions (parentSessionId, sessionKind worker, a copy of the metadata) with each session created'
		)
		.addHelpText(
			'after',
			[
				'',
				'Fixture file (--fixtures), every list optional; ids are derived from names when absent:',
				'  org: default',
				'  users: [{displayName: Ada, email: ada@example.com}]',
				'  skills: [{repo: agentuity/skills, skillId: review, name: Review}]',
				'  buckets: [{name: Reviewers, savedSkillIds: [review]}]',
				'  workspaces: [{name: SDK, repos: [{fullName: agentuity/sdk}], skillBucketIds: [Reviewers]}]',
				'  agents: [{slug: reviewer, displayName: Reviewer, instructions: Review it, published: true}]',
				'',
				'Admin routes: POST /_local/sessions/<id>/status {"status":"paused"} (any status, or archived),',
				'POST /_local/sessions/<id>/activity {participants, events, replay},',
				'POST /_local/sessions/<id>/loop {status, iteration, summary, nextAction},',
				'POST /_local/sessions/<id>/spawn {sessionKind, parent, coordinationJobId, task, count}, GET /_local/stats.',
			].join('\n')
		)
		.action(async (flags: ServeFlags) => {
			await host.run((io) => serveHub(flags, io));
		});
}

/**
 * The GitHub fixture: --github-repos, else the one `--local` reads. Without one the Hub has no
 * GitHub connection, which plans pinning repos report as "log in with GitHub": said at start.
 */
async function githubFixture(
	flags: ServeFlags,
	io: Io,
	{
		findLocalGithubFixture,
		readGithubFixture,
	}: typeof import('../../hub-emulator/github-fixture.js')
) {
	if (flags.githubRepos !== undefined) {
		const file = flags.githubRepos;
		return { file, accounts: await readGithubFixture(resolve(io.cwd, file), '--github-repos') };
	}
	return findLocalGithubFixture(io.cwd);
}

/**
 * The token from --token, or from --token-file: a command line is visible to every user of the
 * machine (ps, /proc), a file of mode 600 is not. The file's first line is the token.
 */
async function tokenOf(flags: ServeFlags, io: Io): Promise<string | undefined> {
	if (flags.tokenFile === undefined) return flags.token;
	if (flags.token !== undefined) {
		throw new UserError('--token and --token-file both name the token: give one of them');
	}
	const file = resolve(io.cwd, flags.tokenFile);
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
		throw new UserError(`--token-file ${file}: cannot read it (${code})`);
	}
	const token = text.split(/\r?\n/)[0]!.trim();
	if (!/^[\x21-\x7e]+$/.test(token)) {
		throw new UserError(
			`--token-file ${file}: its first line must hold the token alone (visible ASCII, no spaces); the file is not shown`
		);
	}
	return token;
}

async function serveHub(flags: ServeFlags, io: Io): Promise<number> {
	const port = parseNumber('--port', flags.port, { integer: true, min: 0, max: 65535 });
	if (fetchRefusesPort(port)) {
		throw new UserError(
			`--port ${port}: fetch refuses to connect to port ${port} (a "bad port" of the Fetch standard), so no command could reach a Hub there; choose another port, such as the default 4100`
		);
	}
	const token = await tokenOf(flags, io);
	const stateFile = flags.state === false ? undefined : resolve(io.cwd, flags.state);
	// The local Hub (and the SDK's schemas it serves by) loads only for `hub serve`.
	const [{ startLocalHub }, githubFixtures, { readHubFixtures }] = await Promise.all([
		import('../../hub-emulator/index.js'),
		import('../../hub-emulator/github-fixture.js'),
		import('../../hub-emulator/hub-fixtures.js'),
	]);
	const github = await githubFixture(flags, io, githubFixtures);
	const hub = await startLocalHub({
		port,
		host: flags.host,
		...(stateFile !== undefined ? { stateFile } : {}),
		...(token !== undefined ? { token } : {}),
		...optionalNumber('latencyMs', '--latency-ms', flags.latencyMs, { min: 0 }),
		...optionalNumber('failRate', '--fail-rate', flags.failRate, { min: 0, max: 1 }),
		...rateLimit(flags.rateLimit),
		...optionalNumber('resetAfterCommitRate', '--reset-after-commit', flags.resetAfterCommit, {
			min: 0,
			max: 1,
		}),
		...optionalNumber('activateAfterMs', '--activate-after-ms', flags.activateAfterMs, { min: 0 }),
		...optionalNumber(
			'snapshotReadyAfterMs',
			'--snapshot-ready-after-ms',
			flags.snapshotReadyAfterMs,
			{ min: 0 }
		),
		...optionalNumber('snapshotFailRate', '--snapshot-fail-rate', flags.snapshotFailRate, {
			min: 0,
			max: 1,
		}),
		...optionalNumber('idleTimeoutMs', '--idle-timeout-ms', flags.idleTimeoutMs, { min: 1 }),
		...(flags.lenient ? { strict: false } : {}),
		...(flags.searchIgnoresMetadata ? { searchIgnoresMetadata: true } : {}),
		...optionalNumber('searchDelayMs', '--search-delay-ms', flags.searchDelayMs, { min: 0 }),
		...optionalNumber('maxPageSize', '--max-page-size', flags.maxPageSize, {
			integer: true,
			min: 1,
		}),
		...optionalNumber('totalSurplus', '--total-surplus', flags.totalSurplus, {
			integer: true,
			min: 0,
		}),
		...(flags.simulateActivity ? { simulateActivity: true } : {}),
		...(flags.echoEnv ? { echoEnv: true } : {}),
		...optionalNumber('spawnWorkers', '--spawn-workers', flags.spawnWorkers, {
			integer: true,
			min: 0,
			max: 100,
		}),
		...(flags.fixtures !== undefined
			? { fixtures: await readHubFixtures(resolve(io.cwd, flags.fixtures), '--fixtures') }
			: {}),
		...(github ? { githubRepos: github.accounts } : {}),
	});
	io.err(
		github
			? `GitHub: the repos of ${github.file}`
			: `GitHub: not connected, so plans that pin repos fail the repo check ("log in with GitHub"): give --github-repos FILE, put the fixture at ${githubFixtures.LOCAL_GITHUB_FIXTURES[0]}, or plan with --no-repo-check`
	);
	io.out(`Local Hub listening on ${hub.url}`);
	io.out(`export AGENTUITY_CODER_URL=${hub.url}`);
	io.err(stateFile ? `State: ${stateFile}` : 'State: in memory only (lost on exit)');
	if (token !== undefined)
		io.err('Clients must send the token you passed (e.g. AGENTUITY_SDK_KEY).');
	io.err('Press Ctrl+C to stop.');
	const signal = await nextSignal();
	io.err(`Received ${signal}, stopping the local Hub...`);
	await hub.close();
	return ExitCode.Ok;
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once. */
function nextSignal(): Promise<NodeJS.Signals> {
	return new Promise((resolvePromise) => {
		const onSignal = (signal: NodeJS.Signals): void => {
			process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
			process
				.once('SIGINT', () => process.exit(ExitCode.Error))
				.once('SIGTERM', () => process.exit(ExitCode.Error));
			resolvePromise(signal);
		};
		process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
	});
}

/** --rate-limit takes N or N/s. */
function rateLimit(text: string | undefined): { rateLimitPerSec?: number } {
	if (text === undefined) return {};
	const number = text.trim().replace(/\/s$/, '');
	if (number === '' || !Number.isFinite(Number(number)) || Number(number) <= 0) {
		throw new UserError(
			`--rate-limit: expected a number of requests per second greater than 0, like 50 or 50/s (got "${text}")`
		);
	}
	return { rateLimitPerSec: Number(number) };
}
