import { redact } from '../secrets/redact.js';

/** The process streams a command writes to; tests pass their own. */
export interface Io {
	readonly out: (text: string) => void;
	readonly err: (text: string) => void;
	readonly isTTY: boolean;
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
	/** Rewrites one transient line on a terminal's stderr ('' clears it); absent elsewhere. */
	readonly progress?: (text: string) => void;
}

/** Every line goes through the redactor: no env value resolved in this process is ever printed. */
export function processIo(): Io {
	return {
		out: (text) => process.stdout.write(line(text)),
		err: (text) => process.stderr.write(line(text)),
		isTTY: Boolean(process.stdout.isTTY),
		env: process.env,
		cwd: process.cwd(),
		...(process.stderr.isTTY
			? { progress: (text: string) => process.stderr.write(`\r\x1b[2K${redact(text)}`) }
			: {}),
	};
}

function line(text: string): string {
	const redacted = redact(text);
	return redacted.endsWith('\n') ? redacted : `${redacted}\n`;
}
