import { createInterface } from 'node:readline/promises';
import { ExitCode } from '../core/exit-code.js';

/**
 * Terraform's rule: only the word `yes` approves; any other answer, or the end of input
 * (Ctrl-D), is a no (exit 1 where the caller cancels). Ctrl-C is an interrupt, as it is while
 * planning: nothing was changed, exit 130.
 */
export async function askForYes(question: string): Promise<boolean> {
	const prompt = createInterface({ input: process.stdin, output: process.stderr });
	// On a terminal readline reads Ctrl-C as a key, so no SIGINT reaches the process: a listener
	// here is what tells it from Ctrl-D, which closes the prompt too.
	let interrupted = false;
	const cancel = new AbortController();
	prompt.once('SIGINT', () => {
		interrupted = true;
		cancel.abort();
	});
	try {
		const answer = await prompt.question(question, { signal: cancel.signal });
		return answer.trim() === 'yes';
	} catch {
		if (interrupted) {
			// readline ended the prompt's line already.
			process.stderr.write('Interrupted (Ctrl-C) at the prompt; nothing was changed.\n');
			process.exit(ExitCode.Interrupted);
		}
		process.stderr.write('\n');
		return false;
	} finally {
		prompt.close();
	}
}
