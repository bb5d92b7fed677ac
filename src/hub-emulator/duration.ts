/** Durations as the SDK's sandbox settings write them (`30m`, `1h30m`, `45s`, `500ms`). */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds, or undefined for anything that is not such a duration (ignored, as unset). */
export function durationMs(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!WHOLE.test(text)) return undefined;
	let total = 0;
	for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
	return total > 0 ? total : undefined;
}
