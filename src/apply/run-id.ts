import { randomBytes } from 'node:crypto';

/** A fresh id for one apply run, written in the `coder-sessions/run` marker of every write. */
export function newRunId(): string {
	return `run_${randomBytes(9).toString('hex')}`;
}
