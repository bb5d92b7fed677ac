/**
 * Helpers for the apply integration tests: the Hub's stats routes, the CLI as a process the
 * test controls or on a terminal, a proxy in front of the Hub, and reading back what it holds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoderClient } from '@agentuity/core/coder';
import { CLI_TIMEOUT_MS, cliPath, type CliOptions, type CliResult } from './cli.js';

export const STACK_KEY = 'coder-sessions/stack';
export const ENTRY_KEY = 'coder-sessions/key';
export const WRITE_ROUTES = ['create', 'update', 'archive', 'delete'] as const;

export async function hubStats(url: string): Promise<Record<string, number>> {
	const response = await fetch(`${url}/_local/stats`);
	if (!response.ok) throw new Error(`GET /_local/stats: HTTP ${response.status}`);
	return (await response.json()) as Record<string, number>;
}

export async function resetStats(url: string): Promise<void> {
	const response = await fetch(`${url}/_local/stats/reset`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
	});
	if (!response.ok) throw new Error(`POST /_local/stats/reset: HTTP ${response.status}`);
}

/** Write requests the Hub received, by route (0 when none). */
export function writesIn(
	stats: Record<string, number>
): Record<(typeof WRITE_ROUTES)[number], number> {
	return Object.fromEntries(WRITE_ROUTES.map((route) => [route, stats[route] ?? 0])) as Record<
		(typeof WRITE_ROUTES)[number],
		number
	>;
}

export const NO_WRITES = { create: 0, update: 0, archive: 0, delete: 0 } as const;

/** `count` entries `${prefix}-000`..., each with its own task. */
export function manySessions(count: number, prefix = 's', fields: Record<string, unknown> = {}) {
	const sessions: Record<string, Record<string, unknown>> = {};
	for (let index = 0; index < count; index += 1) {
		const key = `${prefix}-${String(index).padStart(3, '0')}`;
		sessions[key] = { task: `Task of ${key}.`, ...fields };
	}
	return sessions;
}

/** The CLI as a child process the test controls (to kill it mid-apply). */
export function spawnCli(
	dir: string,
	args: readonly string[],
	env: Record<string, string> = {}
): ChildProcess {
	return spawn(process.execPath, [cliPath, ...args], {
		cwd: dir,
		env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
		stdio: ['ignore', 'ignore', 'ignore'],
	});
}

export function exited(child: ChildProcess): Promise<Pick<CliResult, 'code' | 'signal'>> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
	}
	return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** `script` (util-linux) gives the CLI a pseudo-terminal, to answer its prompt. */
export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Runs the CLI on a pseudo-terminal through `script`, typing `input`. TERM is `dumb` unless `env`
 * says otherwise: no colour codes nor erased lines then.
 */
export function runInTerminal(
	dir: string,
	args: readonly string[],
	input: string,
	options: Pick<CliOptions, 'env' | 'timeoutMs'> & {
		/** Type `input` only once the output shows this (a prompt), not at start. */
		readonly after?: string;
	} = {}
): Promise<CliResult> {
	const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
	const command = [process.execPath, cliPath, ...args].map(quote).join(' ');
	const env: Record<string, string> = { PATH: process.env.PATH ?? '', TERM: 'dumb' };
	for (const [name, value] of Object.entries(options.env ?? {}))
		if (value !== undefined) env[name] = value;
	return new Promise((resolve, reject) => {
		const child = spawn('script', ['-qec', command, '/dev/null'], {
			cwd: dir,
			env,
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		let typed = options.after === undefined;
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			if (!typed && stdout.includes(options.after!)) {
				typed = true;
				child.stdin.end(input);
			}
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? CLI_TIMEOUT_MS);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
		if (typed) child.stdin.end(input);
	});
}

/** Polls `check` until it returns true; throws after `timeoutMs`. */
export async function waitFor(
	check: () => Promise<boolean>,
	what: string,
	timeoutMs = CLI_TIMEOUT_MS,
	intervalMs = 10
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

export interface HubSession {
	readonly id: string;
	readonly key: string | undefined;
	readonly stack: string | undefined;
	readonly archived: boolean;
	readonly task: string | undefined;
	readonly label: string;
	readonly createdAt: string;
	readonly metadata: Record<string, unknown>;
}

/** A plain SDK client for the Hub, as another user or script would hold it. */
export function sdkClient(url: string): CoderClient {
	return new CoderClient({ url, apiKey: 'test-key' });
}

/**
 * Every session of `stack` the Hub lists (active only unless `includeArchived`), with detail:
 * markers live in metadata, which only the detail read carries.
 */
export async function stackSessions(
	url: string,
	stack: string,
	includeArchived = false
): Promise<HubSession[]> {
	const client = sdkClient(url);
	const ids: string[] = [];
	for (let offset = 0; ; offset += 100) {
		const page = await patiently(() =>
			client.listSessions({ includeArchived, limit: 100, offset })
		);
		ids.push(...page.sessions.map((item) => item.sessionId));
		if (page.sessions.length < 100) break;
	}
	const sessions: HubSession[] = [];
	for (let index = 0; index < ids.length; index += 16) {
		const details = await Promise.all(
			ids.slice(index, index + 16).map((id) => patiently(() => client.getSession(id)))
		);
		for (const detail of details) {
			const metadata = (detail.metadata ?? {}) as Record<string, unknown>;
			sessions.push({
				id: detail.sessionId,
				key: metadata[ENTRY_KEY] as string | undefined,
				stack: metadata[STACK_KEY] as string | undefined,
				archived:
					Boolean(detail.historyOnly) ||
					detail.bucket === 'history' ||
					['archived', 'shutdown', 'stopped'].includes(detail.status),
				task: detail.task,
				label: detail.label,
				createdAt: detail.createdAt,
				metadata,
			});
		}
	}
	return sessions.filter((session) => session.stack === stack);
}

/** The SDK does not retry 429: a rate-limited test Hub is read again after a pause. */
async function patiently<T>(call: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt += 1) {
		try {
			return await call();
		} catch (error) {
			if ((error as { status?: number }).status !== 429 || attempt >= 20) throw error;
			await new Promise((resolve) => setTimeout(resolve, 1_100));
		}
	}
}

/** Active sessions of `stack` per entry key: convergence means exactly one each. */
export async function activeCountByKey(url: string, stack: string): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	for (const session of await stackSessions(url, stack)) {
		if (session.archived) continue;
		counts.set(session.key ?? '(no key)', (counts.get(session.key ?? '(no key)') ?? 0) + 1);
	}
	return counts;
}

export interface ProxiedRequest {
	readonly method: string;
	readonly path: string;
	readonly body: unknown;
	/** performance.now() when the request arrived, and when it was answered (with `status`). */
	readonly at: number;
	answeredAt?: number;
	status?: number;
}

export interface HubProxy {
	readonly url: string;
	/** Every request passed through or answered, in arrival order. */
	readonly log: ProxiedRequest[];
	close(): Promise<void>;
}

export interface CannedReply {
	readonly status: number;
	readonly body: unknown;
	readonly headers?: Record<string, string>;
	/** Sent as it is instead of `body` as JSON: a proxy's HTML page, an answer too large. */
	readonly raw?: string | Buffer;
}

/**
 * What a proxy does with a request: answer it itself without forwarding, or forward it
 * (`forward`: another body) and then maybe answer `reply` instead of the Hub's response (or the
 * Hub's response rewritten by `rewriteAnswer`), or
 * `hold` it unanswered (a Hub that stopped answering) until the promise settles, then forward
 * it to the Hub (a request that lands late).
 */
export type Intercept =
	| CannedReply
	| {
			readonly forward?: unknown;
			readonly reply?: CannedReply;
			/** The Hub's answer as the caller gets it: a Hub that writes its fields otherwise. */
			readonly rewrite?: (answer: unknown) => unknown;
			/** The Hub's answer as text, rewritten on the way back (a hostile Hub's ids, say). */
			readonly rewriteAnswer?: (text: string) => string;
	  }
	| { readonly hold: Promise<void> }
	| undefined;

const HOP_HEADERS = new Set([
	'host',
	'connection',
	'content-length',
	'keep-alive',
	'transfer-encoding',
]);

/**
 * A pass-through proxy in front of a Hub that logs requests in order, and can answer some
 * itself or rewrite their body on the way (to make one action fail for real on the wire).
 */
export async function startProxy(
	target: string,
	intercept: (request: ProxiedRequest) => Intercept = () => undefined
): Promise<HubProxy> {
	const log: ProxiedRequest[] = [];
	const server: Server = createServer((request, response) => {
		const at = performance.now();
		let entry: ProxiedRequest | undefined;
		const send = (status: number, headers: Record<string, string>, text: string | Buffer): void => {
			if (entry) Object.assign(entry, { status, answeredAt: performance.now() });
			response.writeHead(status, { 'content-type': 'application/json', ...headers });
			response.end(text);
		};
		const canned = (reply: CannedReply): void =>
			send(reply.status, reply.headers ?? {}, reply.raw ?? JSON.stringify(reply.body));
		void (async () => {
			try {
				const raw = await readBody(request);
				const parsed = raw.length > 0 ? (JSON.parse(raw) as unknown) : undefined;
				entry = { method: request.method ?? 'GET', path: request.url ?? '/', body: parsed, at };
				log.push(entry);
				const decision = intercept(entry);
				if (decision && 'status' in decision) return canned(decision);
				if (decision && 'hold' in decision) await decision.hold;
				const rewrite = decision && !('hold' in decision) ? decision : undefined;
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(request.headers)) {
					if (typeof value === 'string' && !HOP_HEADERS.has(name)) headers[name] = value;
				}
				const body = rewrite?.forward !== undefined ? JSON.stringify(rewrite.forward) : raw;
				const upstream = await fetch(`${target}${entry.path}`, {
					method: entry.method,
					headers,
					body: body.length > 0 ? body : undefined,
				});
				const answer = await upstream.text();
				if (rewrite?.reply) return canned(rewrite.reply);
				const rewritten = rewrite?.rewriteAnswer ? rewrite.rewriteAnswer(answer) : answer;
				const text =
					rewrite?.rewrite && rewritten.length > 0
						? JSON.stringify(rewrite.rewrite(JSON.parse(rewritten) as unknown))
						: rewritten;
				const retryAfter = upstream.headers.get('retry-after');
				send(upstream.status, retryAfter ? { 'retry-after': retryAfter } : {}, text);
			} catch (error) {
				send(502, {}, JSON.stringify({ error: String(error) }));
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		log,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** Each session's createdAt as a rewriting proxy writes it, by id: `null` leaves the field out. */
export type CreatedAtForms = Record<string, string | null>;

export function rewriteCreatedAt(value: unknown, forms: CreatedAtForms): unknown {
	if (Array.isArray(value)) return value.map((each) => rewriteCreatedAt(each, forms));
	if (typeof value !== 'object' || value === null) return value;
	const record: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(value)) record[name] = rewriteCreatedAt(field, forms);
	const id = record.sessionId;
	if (typeof id === 'string' && id in forms) {
		const form = forms[id];
		if (form === null) delete record.createdAt;
		else record.createdAt = form;
	}
	return record;
}
