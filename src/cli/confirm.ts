import { createInterface } from 'node:readline/promises';

/** Terraform's rule: only the word `yes` approves. */
export async function askForYes(question: string): Promise<boolean> {
	const prompt = createInterface({ input: process.stdin, output: process.stderr });
	try {
		const answer = await prompt.question(question);
		return answer.trim() === 'yes';
	} finally {
		prompt.close();
	}
}
