import type { Environment } from '../operations/environment.js';
import type { KindTable } from '../kinds/kind.js';
import { redact } from '../core/secrets/redact.js';
import { guardLines, messageText } from '../core/untrusted/text.js';
import { askForYes } from './confirm.js';
import { outputWriter } from './file-output.js';

/**
 * Where a command writes and what it reads of its surroundings: the process's own streams
 * (processIo), or others (streamIo), e.g. captured ones when a test runs the commands in-process.
 */
export interface Io {
	readonly out: (text: string) => void;
	readonly err: (text: string) => void;
	readonly isTTY: boolean;
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
	/** Asks on the terminal, true only for `yes`; absent without one (stdin not a TTY). */
	readonly ask?: (question: string) => Promise<boolean>;
	/** Rewrites one transient line on a terminal's stderr ('' clears it); absent elsewhere. */
	readonly progress?: (text: string) => void;
	/** Reads standard input whole (`-f -`). */
	readonly readStdin?: () => Promise<Uint8Array>;
	/** The kinds the commands know (default: the built-in table); a library caller adds rows. */
	readonly table?: KindTable;
}

/** The request field the operations take the kind table in, when the Io names one. */
export function tableOf(io: Io): { readonly table?: KindTable } {
	return io.table ? { table: io.table } : {};
}

export interface Streams {
	readonly out: (text: string) => void;
	readonly err: (text: string) => void;
}

/**
 * An Io writing whole lines to `streams`. Every line goes through the redactor (no env value
 * resolved in this process, nor the API key, is ever printed) and then the workflow-command
 * guard: whatever a renderer let through, no line reaches the GitHub Actions log as `::command::`
 * or `##[command]` (see src/untrusted).
 */
export function streamIo(streams: Streams, context: Omit<Io, 'out' | 'err'>): Io {
	return {
		...context,
		out: (text) => streams.out(line(text)),
		err: (text) => streams.err(line(text)),
	};
}

export function processIo(): Io {
	return streamIo(
		{ out: outputWriter(process.stdout), err: outputWriter(process.stderr) },
		{
			isTTY: Boolean(process.stdout.isTTY),
			env: process.env,
			cwd: process.cwd(),
			...(process.stdin.isTTY ? { ask: askForYes } : {}),
			...(process.stderr.isTTY ? { progress: transientLine(process.env) } : {}),
			readStdin: () => readStream(process.stdin),
		}
	);
}

/**
 * Whether a terminal obeys control sequences (colour, erasing a line, moving the cursor): not
 * one whose TERM is `dumb`, as Emacs' shell and some consoles say, which prints them as text.
 */
export function obeysControlSequences(io: Pick<Io, 'isTTY' | 'env'>): boolean {
	return io.isTTY && io.env.TERM !== 'dumb';
}

/**
 * Rewrites one line of stderr in place: erased with a control sequence, or on a dumb terminal
 * (which knows only the carriage return) overwritten with spaces.
 */
export function transientLine(
	env: NodeJS.ProcessEnv,
	write: (text: string) => void = (text) => process.stderr.write(text)
): (text: string) => void {
	if (env.TERM !== 'dumb') return (text) => write(`\r\x1b[2K${redact(text)}`);
	let shown = 0;
	return (text) => {
		const line = redact(text);
		write(`\r${line.padEnd(shown)}${line.length < shown ? `\r${line}` : ''}`);
		shown = line.length;
	};
}

/** What the operations get of a command's Io: their notes go to stderr. */
export function environmentOf(io: Io): Environment {
	return {
		env: io.env,
		cwd: io.cwd,
		// Notes quote what the Hub or the spec said: shown as any untrusted text is.
		warn: (message) => io.err(messageText(message)),
		...(io.progress ? { progress: io.progress } : {}),
		...(io.readStdin ? { readStdin: io.readStdin } : {}),
	};
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

function line(text: string): string {
	const safe = guardLines(redact(text));
	return safe.endsWith('\n') ? safe : `${safe}\n`;
}
