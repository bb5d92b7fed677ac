/** Reading JSON requests and writing JSON responses, errors in the shape of hub-api §5.5. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The parsed JSON body, or undefined when the request has none. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > MAX_BODY_BYTES) {
			throw new HttpError(
				413,
				'CODER_INVALID_REQUEST',
				`Request body exceeds ${MAX_BODY_BYTES} bytes`
			);
		}
		chunks.push(buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw new HttpError(
			400,
			'CODER_INVALID_REQUEST',
			`Invalid JSON body: ${(error as Error).message}`
		);
	}
}

export function sendJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

// `message` is a short title per code; `error` (what the SDK puts in its thrown message) has the detail.
const TITLES: Record<string, string> = {
	CODER_SESSION_NOT_FOUND: 'Session not found',
	CODER_SESSION_ARCHIVED: 'Session is archived',
	CODER_INVALID_REQUEST: 'Invalid request',
	UNAUTHORIZED: 'Unauthorized',
	RATE_LIMITED: 'Too many requests',
	SERVICE_UNAVAILABLE: 'Service unavailable',
	NOT_FOUND: 'Not found',
	METHOD_NOT_ALLOWED: 'Method not allowed',
	LOCAL_HUB_STORAGE_ERROR: 'Storage error',
};

export function sendError(response: ServerResponse, error: HttpError): void {
	sendJson(
		response,
		error.status,
		{
			success: false,
			code: error.code,
			message: TITLES[error.code] ?? error.message,
			error: error.message,
			...(error.details ? { details: error.details } : {}),
		},
		error.headers
	);
}
