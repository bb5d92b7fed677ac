/**
 * The last check on everything the CLI prints: whatever a renderer let through, no line reaches
 * the GitHub Actions log as a workflow command, and errors and notes that quote the Hub are
 * shown escaped. The tool's own colour codes pass untouched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { environmentOf, streamIo, transientLine } from '../../src/cli/io.js';
import { runCommand } from '../../src/cli/run.js';
import { HubError, UserError } from '../../src/core/errors.js';
import { clearSecrets, registerSecrets } from '../../src/core/secrets/redact.js';
import { commandProblems, controlProblems, HOSTILE } from '../support/hostile-text.js';

afterEach(clearSecrets);

function captured() {
	const streams = { out: '', err: '' };
	const io = streamIo(
		{ out: (text) => (streams.out += text), err: (text) => (streams.err += text) },
		{ isTTY: false, env: {}, cwd: '/' }
	);
	return { io, streams };
}

describe('the lines the CLI prints', () => {
	it('are never workflow commands, on stdout or stderr', () => {
		const { io, streams } = captured();
		io.out('plan\n::error title=x::boom\n  ::notice::indented\r::warning::after CR');
		io.err('a ##[error]legacy command\n\u00a0::set-output name=x::y');
		expect(commandProblems(streams.out, 'stdout')).toEqual([]);
		expect(commandProblems(streams.err, 'stderr')).toEqual([]);
		expect(streams.out).toBe(
			'plan\n\\u003a:error title=x::boom\n  \\u003a:notice::indented\r\\u003a:warning::after CR\n'
		);
	});

	it("keep the tool's own colour codes and are redacted before they are guarded", () => {
		const { io, streams } = captured();
		registerSecrets(['s3cr3t-value']);
		io.out('\x1b[1mPlan:\x1b[22m 1 to create\ntoken s3cr3t-value');
		expect(streams.out).toBe('\x1b[1mPlan:\x1b[22m 1 to create\ntoken [redacted]\n');
	});

	it('show notes and errors that quote the Hub escaped, keeping their own line breaks', async () => {
		const { io, streams } = captured();
		environmentOf(io).warn?.(`note: the Hub said ${HOSTILE}`);
		await runCommand(io, async () => {
			throw new HubError(`get session x: HTTP 400: ${HOSTILE}`);
		});
		await runCommand(io, async () => {
			throw new UserError(`first line\nsecond line \x1b]0;t\x07`);
		});
		expect(commandProblems(streams.err, 'stderr')).toEqual([]);
		expect(controlProblems(streams.err, 'stderr')).toEqual([]);
		expect(streams.err).toContain('Error: first line\nsecond line \\u001b]0;t\\u0007\n');
	});
});

describe('the transient line on a terminal (waiting, progress)', () => {
	function shown(term: string | undefined, lines: readonly string[]): string {
		let written = '';
		const show = transientLine({ TERM: term }, (text) => (written += text));
		for (const line of lines) show(line);
		return written;
	}

	it('is erased with a control sequence on a terminal that obeys them', () => {
		expect(shown('xterm', ['read 1 of 12 sessions', ''])).toBe(
			'\r\x1b[2Kread 1 of 12 sessions\r\x1b[2K'
		);
	});

	it('is overwritten with spaces on a dumb terminal (TERM=dumb), which knows only the carriage return', () => {
		const written = shown('dumb', ['read 10 of 12 sessions', 'waiting', '']);
		expect(written).not.toContain('\x1b');
		expect(written).toBe(
			'\rread 10 of 12 sessions' + `\rwaiting${' '.repeat(15)}\rwaiting` + `\r${' '.repeat(7)}\r`
		);
	});
});
