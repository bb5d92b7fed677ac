/** What `coder-sessions status` does when it runs (loaded then); commands/status.ts declares its flags and help. */
import { UserError } from '../../core/errors.js';
import { statusFiles, watchStatusFiles } from '../../operations/stack-reads.js';
import { createStyle } from '../../render/style.js';
import { renderStatusText, toStatusJson } from '../../render/status.js';
import type { StatusView } from '../../plan/status-rows.js';
import { inPlace } from '../../operations/watch-status.js';
import { jsonText } from '../../core/untrusted/json.js';
import { messageText } from '../../core/untrusted/text.js';
import { ExitCode } from '../../core/exit-code.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import {
	parseOutputFlags,
	REPORT_FORMATS,
	type Output,
	type OutputFlags,
	type ReportFormat,
} from '../flags/output.js';
import { parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { parseNumber } from '../options.js';
import { environmentOf, obeysControlSequences, tableOf, type Io } from '../io.js';

export interface StatusFlags extends HubFlags, SpecFlags, ReadFlags, OutputFlags {
	readonly watch?: boolean;
	readonly interval?: string;
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
		...tableOf(io),
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
	const redraw = obeysControlSequences(io) && format === 'text';
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
