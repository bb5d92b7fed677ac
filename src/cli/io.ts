/** The process streams a command writes to; tests pass their own. */
export interface Io {
	readonly out: (text: string) => void;
	readonly err: (text: string) => void;
	readonly isTTY: boolean;
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
}

export function processIo(): Io {
	return {
		out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
		err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
		isTTY: Boolean(process.stdout.isTTY),
		env: process.env,
		cwd: process.cwd(),
	};
}
