/**
 * Every write to the Hub is an action carried out by the apply executor (throttle, run marker,
 * the re-read before the write): outside `src/apply` and the Hub client that sends them, no code
 * calls a write method of the Hub, whatever command it serves. The local Hub is a Hub, not a
 * writer to one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
/** The homes allowed to call a write: the executor, and the client that sends it. */
const WRITERS = ['apply', 'hub', 'hub-emulator'];
/**
 * The stores of the Coder kinds' rows: the Hub calls a row declares, called only by the executor
 * through the Hub client's `kindStore`.
 */
const WRITER_FILES = ['kinds/stores/coder-stores.ts'];
/** Every write a Hub facade or the SDK client has (sessions, and the other kinds' routes). */
const WRITE_CALL =
	/\.\s*(createSession|updateSession|archiveSession|deleteSession|resumeSession|create\w*Agent\w*|update\w*Agent\w*|publish\w*|archive\w*Agent\w*|createWorkspace|updateWorkspace|deleteWorkspace|refreshWorkspace\w*|saveSkill|createCustomSkill|deleteSavedSkill|createSkillBucket|deleteSkillBucket)\s*\(/g;

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sources(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

function writeCallsOutsideApply(files: readonly { path: string; text: string }[]): string[] {
	return files
		.filter(
			({ path }) => !WRITERS.includes(path.split('/')[0] ?? '') && !WRITER_FILES.includes(path)
		)
		.flatMap(({ path, text }) =>
			[...text.matchAll(WRITE_CALL)].map((match) => `${path}: ${match[1]}`)
		);
}

describe('Hub writes', () => {
	it('are called only by the apply executor and the Hub client', () => {
		const files = sources(SRC).map((path) => ({
			path: relative(SRC, path),
			text: readFileSync(path, 'utf8'),
		}));
		expect(files.length).toBeGreaterThan(50);
		expect(writeCallsOutsideApply(files)).toEqual([]);
	});

	it('are found wherever they are called (the check itself)', () => {
		expect(
			writeCallsOutsideApply([
				{ path: 'operations/forget.ts', text: 'await hub.updateSession(id, { metadata });' },
				{ path: 'cli/commands/x.ts', text: 'client.publishCustomAgent(slug)' },
				{ path: 'apply/executor.ts', text: 'await hub.archiveSession(id);' },
				{ path: 'hub/client.ts', text: 'this.client.deleteSession(id)' },
				{ path: 'kinds/stores/coder-stores.ts', text: 'client.createWorkspace(input)' },
				{ path: 'kinds/workspace.ts', text: 'client.updateWorkspace(id, input)' },
			])
		).toEqual([
			'operations/forget.ts: updateSession',
			'cli/commands/x.ts: publishCustomAgent',
			'kinds/workspace.ts: updateWorkspace',
		]);
	});
});
