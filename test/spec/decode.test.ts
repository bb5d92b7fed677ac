import { describe, expect, it } from 'vitest';
import { decodeSpecBytes, firstInvalidUtf8Byte } from '../../src/spec/decode.js';
import { seededRandom } from '../support/seeded-random.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isUtf8(data: Uint8Array): boolean {
	try {
		strict.decode(data);
		return true;
	} catch {
		return false;
	}
}

describe('firstInvalidUtf8Byte', () => {
	it.each<[string, Uint8Array, number]>([
		['ASCII', bytes(0x61, 0x62), -1],
		[
			'two, three and four byte forms',
			bytes(0xc3, 0xa9, 0xe2, 0x80, 0x94, 0xf0, 0x9f, 0x98, 0x80),
			-1,
		],
		['a stray continuation byte', bytes(0x61, 0x80), 1],
		['an overlong two-byte form', bytes(0xc0, 0xaf), 0],
		['an overlong three-byte form', bytes(0x61, 0xe0, 0x80, 0xaf), 1],
		['a UTF-16 surrogate', bytes(0xed, 0xa0, 0x80), 0],
		['past U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
		['a sequence cut short by the end', bytes(0x61, 0xe2, 0x80), 1],
		['a sequence cut short by ASCII', bytes(0xe2, 0x61, 0x62), 0],
		['0xFF', bytes(0xff), 0],
	])('%s', (_name, input, expected) => {
		expect(firstInvalidUtf8Byte(input)).toBe(expected);
	});

	it('agrees with a strict decoder, and the bytes before the offset decode', () => {
		const random = seededRandom(7);
		// Mostly valid multi-byte text with a few bytes flipped, so both outcomes are common.
		const alphabet = ['a', '\n', 'é', '—', '😀', '\u{10ffff}'].map((c) => [...Buffer.from(c)]);
		let invalid = 0;
		for (let round = 0; round < 2000; round += 1) {
			const data: number[] = [];
			while (data.length < 24) data.push(...alphabet[Math.floor(random() * alphabet.length)]!);
			if (random() < 0.7) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
			const input = Uint8Array.from(data);
			const offset = firstInvalidUtf8Byte(input);
			expect(offset === -1).toBe(isUtf8(input));
			if (offset !== -1) {
				invalid += 1;
				expect(isUtf8(input.subarray(0, offset))).toBe(true);
			}
		}
		expect(invalid).toBeGreaterThan(500);
	});
});

describe('decodeSpecBytes', () => {
	it('points at the first bad byte by line and column, counting characters', () => {
		const input = Buffer.concat([Buffer.from('a: 1\nb: "é—'), bytes(0xfe), Buffer.from('"\n')]);
		expect(decodeSpecBytes(input)).toEqual({
			ok: false,
			at: { line: 2, column: 7 },
			message: 'invalid UTF-8 (byte 0xFE); save the file as UTF-8',
		});
	});

	it('drops a UTF-8 byte order mark and refuses a UTF-16 or UTF-32 one', () => {
		expect(decodeSpecBytes(Buffer.from('\ufeffa: 1\n'))).toEqual({ ok: true, text: 'a: 1\n' });
		expect(decodeSpecBytes(bytes(0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x61))).toMatchObject({
			ok: false,
			message: 'the file starts with a UTF-32 big-endian byte order mark; save it as UTF-8',
		});
	});
});
