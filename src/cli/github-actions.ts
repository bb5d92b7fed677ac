/**
 * What a plan knows of a GitHub Actions run: the run's page, where the full plan is, and the
 * step summary file, which takes the whole markdown plan (GitHub shows up to 1 MiB per step).
 */
import { appendFile, stat } from 'node:fs/promises';
import type { Io } from './io.js';

/** GitHub drops a step summary over 1 MiB. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/**
 * Left free of the step's 1 MiB for the lines a workflow writes around the plan (the CI action's
 * verdict, a heading), so that they never push the summary over.
 */
export const STEP_SUMMARY_HEADROOM = 8 * 1024;

/** `https://github.com/owner/repo/actions/runs/123`, when all three variables are set. */
export function actionsRunUrl(env: NodeJS.ProcessEnv): string | undefined {
	const server = env.GITHUB_SERVER_URL?.replace(/\/+$/, '');
	const repository = env.GITHUB_REPOSITORY;
	const runId = env.GITHUB_RUN_ID;
	if (!server || !repository || !runId) return undefined;
	if (!/^https?:\/\/[^\s<>()]+$/.test(server)) return undefined;
	if (!/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^\d+$/.test(runId)) return undefined;
	return `${server}/${repository}/actions/runs/${runId}`;
}

/**
 * Appends the markdown `render(limit)` makes to $GITHUB_STEP_SUMMARY, within what the step has
 * left of its 1 MiB (less STEP_SUMMARY_HEADROOM). The limit counts characters, the file bytes: a text with many multi-byte
 * characters is rendered again to a smaller limit.
 */
export async function appendStepSummary(io: Io, render: (limit: number) => string): Promise<void> {
	const file = io.env.GITHUB_STEP_SUMMARY;
	if (!file) return;
	try {
		const used = await stat(file).then(
			(s) => s.size,
			() => 0
		);
		const room = STEP_SUMMARY_LIMIT - STEP_SUMMARY_HEADROOM - used - 1;
		let limit = room;
		for (let attempt = 0; attempt < 4 && limit > 2000; attempt += 1) {
			const text = render(limit);
			const bytes = Buffer.byteLength(text, 'utf8');
			if (bytes <= room) {
				await appendFile(file, `${text}\n`);
				return;
			}
			limit = Math.floor((limit * room) / bytes) - 1000;
		}
		io.err('note: the plan was not added to the step summary: it has no room left');
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		io.err(`note: the plan was not added to the step summary: ${reason}`);
	}
}
