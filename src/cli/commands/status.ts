import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { statusFiles, watchStatusFiles } from '../../operations/stack-reads.js';
import { createStyle } from '../../render/style.js';
import { renderStatusText, toStatusJson } from '../../render/status.js';
import type { StatusView } from '../../plan/status-rows.js';
import { inPlace } from '../../operations/watch-status.js';
import { jsonText } from '../../core/untrusted/json.js';
import { messageText } from '../../core/untrusted/text.js';
import { ExitCode } from '../../core/exit-code.js';
import { addHubFlags, parseHubFlags, type HubFlags } from '../flags/hub.js';
import {
	addOutputFlags,
	parseOutputFlags,
	REPORT_FORMATS,
	type Output,
	type OutputFlags,
	type ReportFormat,
} from '../flags/output.js';
import { addReadFlags, parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { addSpecFlags, parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { parseNumber } from '../options.js';
import { environmentOf, type Io } from '../io.js';
import type { CommandHost } from '../run.js';

export interface StatusFlags extends HubFlags, SpecFlags, ReadFlags, OutputFlags {
	readonly watch?: boolean;
	readonly interval?: string;
}

export function registerStatus(program: Command, host: CommandHost): void {
	const command = program
		.command('status')
		.description(
			"Show the stack's sessions on the Hub: state, activity, and whether each matches the spec (reads only)"
		);
	addSpecFlags(command, 'show')
		.option('--watch', 'refresh every --interval seconds until Ctrl-C')
		.option('--interval <seconds>', 'seconds between refreshes with --watch (default: 5)');
	addReadFlags(command, 'Hub reads', { discovery: true });
	addOutputFlags(command, { formats: REPORT_FORMATS, color: 'text output' }).addHelpText(
		'after',
		`
One row per session of the stack: every active one, else the newest archived one, plus one per
spec entry with nothing on the Hub. SYNC is "in sync", "drifted: FIELDS" (plan would change
it), "missing" (apply would create it), "archived", or "extra" (its key left the spec).
PARTICIPANTS counts the session's participants, EVENTS its event history ("50+" when the Hub
gives no total); LAST ACTIVITY is the latest of the session's, its participants' and its newest
event's times. JSON also says whether a replay exists. A "?" means those reads failed for that
session (a warning under the table says why). Each session costs three reads besides its detail.

--format json prints {formatVersion: 1, stack, files, generatedAt, sessions: [...], counts,
hubCalls}; see the README for the fields.

--watch on a terminal redraws the table in place; without a terminal (or with --format json)
it prints one snapshot per refresh (JSON: one document per line). Ctrl-C stops it, exit 0.

Examples:
  coder-sessions status --local -f examples/sessions.yaml
  coder-sessions status --watch --interval 10
  coder-sessions status --format json | jq '.sessions[] | select(.sync != "in-sync")'`
	);
	addHubFlags(command).action(async (flags: StatusFlags) => {
		const stop = new AbortController();
		const onInterrupt = () => {
			stop.abort();
			// A Hub read abandoned by Ctrl-C must not hold the exit back for long.
			setTimeout(() => process.exit(), 1000).unref();
		};
		if (flags.watch) process.once('SIGINT', onInterrupt);
		try {
			await host.run((io) => runStatus(flags, io, stop.signal));
		} finally {
			process.removeListener('SIGINT', onInterrupt);
		}
	});
}

export async function runStatus(
	flags: StatusFlags,
	io: Io,
	stop: AbortSignal = new AbortController().signal
): Promise<number> {
	const output = parseOutputFlags(flags, io, REPORT_FORMATS);
	const scope = parseSpecFlags(flags);
	const request = {
		files: scope.files,
		target: parseHubFlags(flags),
		...parseReadFlags(flags),
		only: scope.only,
		select: scope.select,
	};
	const intervalMs = parseInterval(flags.interval, flags.watch === true);
	const environment = withSpecVars(environmentOf(io), flags);
	if (!flags.watch) {
		io.out(statusFrame(await statusFiles(request, environment), output, false));
		return ExitCode.Ok;
	}
	await watchStatusFiles(request, environment, {
		intervalMs,
		signal: stop,
		...watchView(io, output, intervalMs),
	});
	return ExitCode.Ok;
}

/** One snapshot as text, or as a JSON document (one line each when watching). */
function statusFrame(view: StatusView, { format, color }: Output<ReportFormat>, watching: boolean) {
	return format === 'json'
		? jsonText(toStatusJson(view, Date.now()), watching ? undefined : 2)
		: renderStatusText(view, createStyle(color), Date.now());
}

/**
 * `--watch` as the terminal shows it: redrawn in place on a terminal (text), else one snapshot
 * after another; a Hub that stops answering mid-watch is shown and retried, not fatal.
 */
function watchView(io: Io, output: Output<ReportFormat>, intervalMs: number) {
	const { format } = output;
	const style = createStyle(output.color);
	const redraw = io.isTTY && format === 'text';
	const footer = () =>
		style.dim(
			`Every ${intervalMs / 1000}s, last at ${new Date().toTimeString().slice(0, 8)}. Ctrl-C to stop.`
		);
	let shown = 0;
	const showText = (text: string) => {
		if (redraw) io.out(inPlace(text, shown === 0));
		else io.out(shown > 0 && format === 'text' ? `\n${text}` : text);
		shown += 1;
	};
	return {
		show: (view: StatusView) => {
			const text = statusFrame(view, output, true);
			showText(format === 'text' ? `${text}${footer()}\n` : text);
		},
		onError: (error: unknown) => {
			if (!(error instanceof UserError)) throw error;
			const message = messageText(error.message);
			if (redraw) showText(`${style.warn(`Error: ${message}`)}\n${footer()}\n`);
			else io.err(`Error: ${message} (trying again in ${intervalMs / 1000}s)`);
		},
	};
}

const MAX_INTERVAL_SECONDS = 86_400;

export function parseInterval(value: string | undefined, watching: boolean): number {
	if (value === undefined) return 5000;
	if (!watching) throw new UserError('--interval only applies with --watch');
	const seconds = parseNumber('--interval', value, {
		min: 1,
		max: MAX_INTERVAL_SECONDS,
		unit: 'seconds',
	});
	return Math.round(seconds * 1000);
}
