/**
 * The SDK turns a 429 into an error without its headers, so the Retry-After the Hub sent is
 * caught on the way through fetch (see hub-fetch.ts) and looked up by URL when the error arrives.
 */
const retryAfterByUrl = new Map<string, number>();

/** Remembers the delay a 429 response asks for, under the URL it answered. */
export function noteRetryAfter(url: string, response: Response): void {
	if (response.status !== 429) return;
	const delay = parseRetryAfter(response.headers.get('retry-after'), response.headers.get('date'));
	if (delay !== undefined) retryAfterByUrl.set(url, delay);
}

/** The delay the Hub asked for on its last 429 for this URL, in milliseconds. */
export function takeRetryAfter(url: string | undefined): number | undefined {
	if (!url) return undefined;
	const delay = retryAfterByUrl.get(url);
	retryAfterByUrl.delete(url);
	return delay;
}

/**
 * The delay in milliseconds. A date is the Hub's clock: it is read against the Date the same
 * answer carries, when there is one, not against ours (a Hub clock hours ahead would otherwise
 * ask for hours).
 */
export function parseRetryAfter(
	value: string | null,
	answeredAt?: string | null
): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	const hubNow = answeredAt ? Date.parse(answeredAt) : Number.NaN;
	return Math.max(0, date - (Number.isNaN(hubNow) ? Date.now() : hubNow));
}
