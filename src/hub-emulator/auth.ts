import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * With a token set, accepts `Authorization: Bearer <token>` or `x-agentuity-auth-api-key: <token>`,
 * and `queryKey` (the event stream's `?api_key=`) on the route that takes one.
 */
export function authorize(
	request: IncomingMessage,
	token: string | undefined,
	queryKey?: string
): void {
	if (token === undefined) return;
	const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
	const apiKey = request.headers['x-agentuity-auth-api-key'];
	const candidates = [bearer, Array.isArray(apiKey) ? apiKey[0] : apiKey, queryKey];
	const expected = digest(token);
	if (
		candidates.some(
			(candidate) => candidate !== undefined && timingSafeEqual(digest(candidate), expected)
		)
	)
		return;
	throw new HttpError(401, 'UNAUTHORIZED', 'Missing or invalid API key for the local Hub', {
		'www-authenticate': 'Bearer',
	});
}
