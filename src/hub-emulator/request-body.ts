/**
 * Reading a request's JSON body within limits: at most MAX_BODY_BYTES (413), UTF-8 only,
 * a JSON media type when one is declared, and nesting no deeper than MAX_JSON_DEPTH (400).
 * Every value a session stores passes through here, so nothing too deep to serialise again
 * (or to replay from the journal) ever reaches the store.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_JSON_DEPTH = 64;

const invalid = (message: string): HttpError =>
	new HttpError(400, 'CODER_INVALID_REQUEST', message);

/** The parsed JSON body, or undefined when the request has none. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
	const bytes = await readBytes(request);
	if (bytes.length === 0) return undefined;
	checkMediaType(request.headers['content-type']);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw invalid('Invalid request body: not valid UTF-8');
	}
	if (text.trim() === '') return undefined;
	const depth = nestingDepth(text);
	if (depth > MAX_JSON_DEPTH) {
		throw invalid(`Invalid JSON body: nested deeper than ${MAX_JSON_DEPTH} levels`);
	}
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw invalid(`Invalid JSON body: ${(error as Error).message}`);
	}
}

async function readBytes(request: IncomingMessage): Promise<Buffer> {
	const declared = Number(request.headers['content-length']);
	if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > MAX_BODY_BYTES) throw tooLarge();
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

function tooLarge(): HttpError {
	return new HttpError(
		413,
		'CODER_INVALID_REQUEST',
		`Request body exceeds ${MAX_BODY_BYTES} bytes`
	);
}

/** No content type is read as JSON (the SDK always sends one); any other declared type is refused. */
function checkMediaType(header: string | undefined): void {
	if (header === undefined || header.trim() === '') return;
	const type = header.split(';')[0]!.trim().toLowerCase();
	if (type === 'application/json' || type.endsWith('+json')) return;
	throw new HttpError(
		415,
		'CODER_INVALID_REQUEST',
		`Unsupported content type ${JSON.stringify(type)}: request bodies must be application/json`
	);
}

/** The deepest nesting of arrays and objects in JSON text, found without recursion. */
export function nestingDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (inString) {
			if (code === 0x5c)
				index++; // backslash: skip the escaped character
			else if (code === 0x22) inString = false;
		} else if (code === 0x22) inString = true;
		else if (code === 0x5b || code === 0x7b) {
			depth++;
			if (depth > deepest) deepest = depth;
		} else if (code === 0x5d || code === 0x7d) depth--;
	}
	return deepest;
}
