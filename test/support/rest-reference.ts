/**
 * The Hub's REST reference (the SDK's `CoderAPIReference`) as a test oracle: every request a
 * client sends to a local Hub and every answer it gets are recorded (a wrapper around the global
 * fetch), then checked against the reference's request and response wire schemas: what passes
 * here is what the Hub documents, not only what the SDK's looser schemas accept.
 */
import { CoderAPIReference } from '@agentuity/core/coder';
import * as z from 'zod';

type Endpoint = (typeof CoderAPIReference.endpoints)[number];

export interface Exchange {
	readonly method: string;
	/** The path after the Hub's `/api` (`/hub/session/codesess_...`). */
	readonly path: string;
	readonly query: URLSearchParams;
	readonly requestBody: unknown;
	readonly status: number;
	readonly responseBody: unknown;
}

function schemaOf(fields: unknown): z.ZodType | undefined {
	return fields && typeof fields === 'object' && 'schema' in fields
		? (fields as { schema: z.ZodType }).schema
		: undefined;
}

const matchers = CoderAPIReference.endpoints.map((endpoint) => ({
	endpoint,
	pattern: new RegExp(`^${endpoint.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The reference's endpoint for a request (exact paths before templated ones). */
export function documentedEndpoint(method: string, path: string): Endpoint | undefined {
	const candidates = matchers.filter(
		(matcher) => matcher.endpoint.method === method && matcher.pattern.test(path)
	);
	return (
		candidates.find((matcher) => !matcher.endpoint.path.includes('{'))?.endpoint ??
		candidates[0]?.endpoint
	);
}

/** Endpoints of the reference a Hub serves (discovery is Catalyst's, not the Hub's). */
export const HUB_ENDPOINT_IDS: readonly string[] = CoderAPIReference.endpoints
	.filter((endpoint) => endpoint.id !== 'discover-coder-url')
	.map((endpoint) => endpoint.id);

/** Records what goes to and comes from any `/api/` path until `stop()`; other requests pass by. */
export function recordExchanges(): {
	readonly exchanges: Exchange[];
	stop(): void;
} {
	const original = globalThis.fetch;
	const exchanges: Exchange[] = [];
	globalThis.fetch = async (input, init) => {
		const response = await original(input, init);
		const request = input instanceof Request ? input : undefined;
		const url = new URL(request?.url ?? String(input));
		if (!url.pathname.startsWith('/api/')) return response;
		if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream'))
			return response;
		const text = await response.clone().text();
		const sent = init?.body ?? undefined;
		exchanges.push({
			method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
			path: url.pathname.slice('/api'.length),
			query: url.searchParams,
			requestBody: typeof sent === 'string' && sent !== '' ? JSON.parse(sent) : undefined,
			status: response.status,
			responseBody: text === '' ? undefined : safeJson(text),
		});
		return response;
	};
	return {
		exchanges,
		stop: () => {
			globalThis.fetch = original;
		},
	};
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export interface ReferenceReport {
	/** One line per request or answer the reference's schemas refuse. */
	readonly problems: string[];
	/** Ids of the documented endpoints that answered 2xx and passed. */
	readonly covered: Set<string>;
}

/**
 * Each request body must use only the keys the endpoint's request schema documents and parse with
 * it; each 2xx answer must parse with the endpoint's response schema. Files in a create body are
 * base64 text on the wire (the SDK encodes them), so their content is not compared.
 */
export function checkAgainstReference(exchanges: readonly Exchange[]): ReferenceReport {
	const problems: string[] = [];
	const covered = new Set<string>();
	for (const exchange of exchanges) {
		const endpoint = documentedEndpoint(exchange.method, exchange.path);
		if (!endpoint) continue;
		const where = `${exchange.method} ${exchange.path} (${endpoint.id})`;
		const request = schemaOf(endpoint.requestBody?.fields);
		// A request the Hub refused (4xx) did what the reference allows: nothing.
		const refused = exchange.status >= 400 && exchange.status < 500;
		if (request && exchange.requestBody !== undefined && !refused) {
			problems.push(...requestProblems(where, request, exchange.requestBody));
		}
		if (exchange.status < 200 || exchange.status >= 300) continue;
		const response = schemaOf(endpoint.responseFields);
		if (response) {
			const parsed = response.safeParse(exchange.responseBody);
			if (!parsed.success) {
				problems.push(`${where}: answer refused by the reference: ${describe(parsed.error)}`);
				continue;
			}
		}
		covered.add(endpoint.id);
	}
	return { problems, covered };
}

function requestProblems(where: string, schema: z.ZodType, body: unknown): string[] {
	const problems: string[] = [];
	if (schema instanceof z.ZodObject && body !== null && typeof body === 'object') {
		const documented = new Set(Object.keys(schema.shape));
		const extra = Object.keys(body).filter((key) => !documented.has(key));
		if (extra.length > 0) problems.push(`${where}: undocumented request keys ${extra.join(', ')}`);
	}
	const withoutFiles = stripFileContent(body);
	const parsed = schema.safeParse(withoutFiles);
	if (!parsed.success)
		problems.push(`${where}: request refused by the reference: ${describe(parsed.error)}`);
	return problems;
}

function stripFileContent(body: unknown): unknown {
	if (body === null || typeof body !== 'object') return body;
	const { files: _files, command, ...rest } = body as Record<string, unknown>;
	const plainCommand =
		command && typeof command === 'object'
			? (({ files: _commandFiles, ...keep }) => keep)(command as Record<string, unknown>)
			: command;
	return { ...rest, ...(plainCommand !== undefined ? { command: plainCommand } : {}) };
}

function describe(error: z.ZodError): string {
	return error.issues
		.slice(0, 3)
		.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
		.join('; ');
}
