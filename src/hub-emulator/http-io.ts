/** Writing JSON responses, errors in the shape of hub-api §5.5. */
import type { ServerResponse } from 'node:http';
import type { HttpError } from './errors.js';

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
	LOCAL_HUB_FORBIDDEN_HOST: 'Forbidden',
	LOCAL_HUB_FORBIDDEN_ORIGIN: 'Forbidden',
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
