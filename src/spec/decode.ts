/** A spec file's bytes to text: UTF-8 only, and an invalid byte is an error, not a U+FFFD. */
import type { SourcePos } from './errors.js';

export type DecodeResult =
	| { readonly ok: true; readonly text: string }
	| { readonly ok: false; readonly at: SourcePos; readonly message: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Longest first: a UTF-32 LE mark starts with the UTF-16 LE one. */
const OTHER_BOMS: readonly (readonly [string, readonly number[]])[] = [
	['UTF-32 big-endian', [0x00, 0x00, 0xfe, 0xff]],
	['UTF-32 little-endian', [0xff, 0xfe, 0x00, 0x00]],
	['UTF-16 big-endian', [0xfe, 0xff]],
	['UTF-16 little-endian', [0xff, 0xfe]],
];

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) =>
	prefix.every((byte, index) => bytes[index] === byte);

/**
 * The offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates
 * and code points past U+10FFFF included), or -1.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
	let index = 0;
	while (index < bytes.length) {
		const lead = bytes[index]!;
		if (lead < 0x80) {
			index += 1;
			continue;
		}
		let length: number;
		let min = 0x80;
		let max = 0xbf;
		if (lead >= 0xc2 && lead <= 0xdf) length = 2;
		else if (lead >= 0xe0 && lead <= 0xef) {
			length = 3;
			if (lead === 0xe0) min = 0xa0; // overlong
			if (lead === 0xed) max = 0x9f; // UTF-16 surrogates
		} else if (lead >= 0xf0 && lead <= 0xf4) {
			length = 4;
			if (lead === 0xf0) min = 0x90; // overlong
			if (lead === 0xf4) max = 0x8f; // past U+10FFFF
		} else return index;
		for (let next = 1; next < length; next += 1) {
			const byte = bytes[index + next];
			const [low, high] = next === 1 ? [min, max] : [0x80, 0xbf];
			if (byte === undefined || byte < low || byte > high) return index;
		}
		index += length;
	}
	return -1;
}

/** 1-based line and column (in UTF-16 code units, as the YAML positions) of a byte offset. */
function positionOf(bytes: Uint8Array, offset: number, skip: number): SourcePos {
	const before = new TextDecoder('utf-8').decode(bytes.subarray(skip, offset));
	const lineStart = before.lastIndexOf('\n') + 1;
	let line = 1;
	for (let index = 0; index < lineStart; index += 1) if (before[index] === '\n') line += 1;
	return { line, column: before.length - lineStart + 1 };
}

const hex = (byte: number) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

export function decodeSpecBytes(bytes: Uint8Array): DecodeResult {
	for (const [encoding, bom] of OTHER_BOMS) {
		if (startsWith(bytes, bom)) {
			return {
				ok: false,
				at: { line: 1, column: 1 },
				message: `the file starts with a ${encoding} byte order mark; save it as UTF-8`,
			};
		}
	}
	const skip = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
	const bad = firstInvalidUtf8Byte(bytes.subarray(skip));
	if (bad !== -1) {
		const offset = skip + bad;
		return {
			ok: false,
			at: positionOf(bytes, offset, skip),
			message: `invalid UTF-8 (byte ${hex(bytes[offset]!)}); save the file as UTF-8`,
		};
	}
	return {
		ok: true,
		text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(skip)),
	};
}
