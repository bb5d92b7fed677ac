import { createInterface } from 'node:readline/promises';

/** Terraform's rule: only the word `yes` approves. */
export async function askForYes(question: string): Promise<boolean> {
	const prompt = createInterface({ input: process.stdin, output: process.stderr });
	try {
		const answer = await prompt.question(question);
		return answer.trim() === 'yes';
	} catch {
		// Ctrl-C or Ctrl-D at the prompt: no answer is not a yes.
		process.stderr.write('\n');
		return false;
	} finally {
		prompt.close();
	}
}
