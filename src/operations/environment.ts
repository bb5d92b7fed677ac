/**
 * What an operation needs of its surroundings besides the Hub: the environment variables it
 * reads (env values, CODER_SESSIONS_ENV_KEY, the Hub's credentials), the directory relative
 * paths start from, and where notes go as they arise. No operation touches process globals.
 */
import type { SpecVarInputs } from '../spec/templates/vars.js';

export interface Environment {
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
	/** A note for the person running it (the CLI prints it on stderr); never a secret. */
	readonly warn?: (message: string) => void;
	/** Shows one transient line of a long read's progress ('' clears it); never a secret. */
	readonly progress?: (text: string) => void;
	/** Reads standard input whole: the spec file `-` (absent where there is none to read). */
	readonly readStdin?: () => Promise<Uint8Array>;
	/** `--var` and `--var-file` (or a saved plan's vars): values over the spec's `vars:`. */
	readonly specVars?: SpecVarInputs;
}

export function warn(environment: Environment, message: string): void {
	environment.warn?.(message);
}
