import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { readOnly } from '../../hub-client/client.js';
import { staleReasons } from '../../plan/staleness.js';
import { addHubOptions, openHub } from '../hub-options.js';
import { ExitCode } from '../../exit-code.js';
import { processIo, type Io } from '../io.js';
import { planAgainstHub, render } from '../planning.js';
import {
	colorOption,
	DEFAULT_PARALLELISM,
	formatOption,
	parsePlanFormat,
	PLAN_FORMATS,
	useColor,
} from '../options.js';
import { reportRefusal } from '../refusal.js';
import { exitWith, runCommand } from '../run.js';
import { readSavedPlan, savedPlanHubFlags } from '../saved-plan-file.js';
import type { HubFlags } from '../../hub-client/connection.js';

export interface ShowFlags extends HubFlags {
	readonly format?: string;
	readonly color?: boolean;
	readonly check?: boolean;
}

export function registerShow(program: Command): void {
	const command = program
		.command('show')
		.argument('<planfile>', 'a plan saved by `plan --out`')
		.description('Render a saved plan, with a warning when the Hub has moved on since it was made')
		.addOption(formatOption(PLAN_FORMATS))
		.option('--no-check', 'do not compare the plan with the Hub (works offline)')
		.addOption(colorOption('text output'));
	addHubOptions(command).action(async (planfile: string, flags: ShowFlags) => {
		const io = processIo();
		exitWith(await runCommand(io, () => runShow(planfile, flags, io)));
	});
}

export async function runShow(planfile: string, flags: ShowFlags, io: Io): Promise<number> {
	const format = parsePlanFormat(flags.format);
	const saved = await readSavedPlan(planfile, io);
	const stale = flags.check === false ? [] : await checkAgainstHub(saved, flags, io);
	const warnings =
		stale.length > 0 ? [`This saved plan is stale; apply will refuse it.`, ...stale] : [];
	io.out(
		render(
			format,
			saved.plan,
			{ files: saved.spec.files, stale: warnings },
			useColor(io, flags.color)
		)
	);
	if (reportRefusal(saved.plan, io, `Apply would refuse this saved plan:`)) return ExitCode.Refused;
	return ExitCode.Ok;
}

/** The same check apply makes; a Hub that cannot be reached is reported, not fatal. */
async function checkAgainstHub(
	saved: Awaited<ReturnType<typeof readSavedPlan>>,
	flags: ShowFlags,
	io: Io
) {
	let opened;
	try {
		opened = await openHub(savedPlanHubFlags(flags, saved), io);
	} catch (error) {
		if (!(error instanceof UserError)) throw error;
		io.err(`Not checked against the Hub: ${error.message}`);
		return [];
	}
	try {
		const { plan } = await planAgainstHub(saved.spec, readOnly(opened.hub), io, {
			only: saved.plan.only,
			parallelism: DEFAULT_PARALLELISM,
		});
		return staleReasons(saved.plan, plan);
	} finally {
		await opened.close();
	}
}
