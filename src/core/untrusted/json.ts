/**
 * JSON output is exact: every value parses back to the very string the Hub or the spec holds.
 * Characters JSON may carry raw are written as `\u` escapes instead where a terminal or the
 * Actions log would act on them (DEL, C1 controls, bidi formatting, U+2028/U+2029) and `##[`
 * becomes `##\u005b`; a parser reads the same string either way. Outside its strings JSON is
 * plain ASCII, so the replacement can only touch string contents.
 */
import { escapeChar } from './text.js';

const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `JSON.stringify(value, null, space)`, safe to print, parsing to the same value. */
export function jsonText(value: unknown, space?: number): string {
	const text = JSON.stringify(value, null, space);
	return text.replace(RAW_IN_JSON, escapeChar).replace(/##\[/g, '##\\u005b');
}
