/** What `coder-sessions forget` does when it runs (loaded then); commands/forget.ts declares its flags and help. */
import { ExitCode } from '../../core/exit-code.js';
import { runToTheEndWhenOutputCloses } from '../closed-pipe.js';
import { forgetFiles, type ForgetOutcome, type ForgetTarget } from '../../operations/forget.js';
import type { Spec } from '../../kinds/session/desired.js';
import { printable } from '../../render/format.js';
import { describeForgetTargets } from '../../render/forget.js';
import { UserError } from '../../core/errors.js';
import { summaryLines } from '../../render/apply-report.js';
import { parseHubFlags, type HubFlags } from '../flags/hub.js';
import { parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { parseSpecFlags, withSpecVars, type SpecFlags } from '../flags/spec.js';
import { environmentOf, tableOf, type Io } from '../io.js';
import { BUILT_IN_KINDS } from '../../kinds/table.js';
import {
	forgetRecordsFiles,
	namesRecords,
	type RecordForgetOutcome,
	type RecordForgetTarget,
} from '../../operations/forget-records.js';

export interface ForgetFlags extends HubFlags, SpecFlags, ReadFlags {
	readonly autoApprove?: boolean;
}

export async function runForget(keys: string[], flags: ForgetFlags, io: Io): Promise<number> {
	runToTheEndWhenOutputCloses();
	if (namesRecords(io.table ?? BUILT_IN_KINDS, keys)) return runForgetRecords(keys, flags, io);
	const { parallelism } = parseReadFlags(flags);
	const request = {
		files: parseSpecFlags(flags).files,
		target: parseHubFlags(flags),
		parallelism,
		approve: async (
			spec: Spec,
			targets: readonly ForgetTarget[],
			history: readonly ForgetTarget[]
		) => {
			io.out(describeForgetTargets(spec.stack, targets, history, spec.prune));
			if (targets.length === 0) return true;
			if (flags.autoApprove) return true;
			if (!io.ask) {
				throw new UserError(
					'no terminal to confirm on: review the sessions, then re-run with --auto-approve'
				);
			}
			return io.ask('\nForget these sessions? Only `yes` is accepted: ');
		},
	};
	const { spec, outcome } = await forgetFiles(
		keys,
		request,
		withSpecVars(environmentOf(io), flags)
	);
	return showForgotten(spec.stack, outcome, io);
}

/** What was forgotten, line by line, and the exit code. */
function showForgotten(stack: string, outcome: ForgetOutcome, io: Io): number {
	if (outcome.status === 'cancelled') {
		io.err('Forget cancelled; nothing was changed.');
		return ExitCode.Error;
	}
	const { result } = outcome;
	for (const { action, status, message } of result.outcomes) {
		const id = 'live' in action && action.live ? action.live.id : '';
		io.out(
			status === 'applied'
				? `  forgotten ${printable(action.key)}  ${printable(id)}`
				: status === 'conflict'
					? `  ! ${printable(action.key)}  ${printable(id)}: ${printable(message ?? 'not forgotten')}`
					: `  ! ${printable(action.key)}  ${printable(id)}: not forgotten (${status})${message ? `: ${printable(message)}` : ''}`
		);
	}
	if (!outcome.succeeded) {
		// What the read-back found: another writer's changes, sessions not converged.
		for (const line of summaryLines(result, stack).slice(1)) io.out(line);
		const missed = result.outcomes.some((o) => o.status !== 'applied');
		io.err(
			missed
				? 'Some sessions were not forgotten; run forget again for their keys.'
				: 'The sessions were forgotten, but the stack changed meanwhile: plan again.'
		);
		return ExitCode.Partial;
	}
	if (outcome.targets.length === 0) return ExitCode.Ok;
	io.out(
		`\nForgot ${outcome.targets.length === 1 ? '1 session' : `${outcome.targets.length} sessions`}; stack ${printable(stack)} no longer manages ${outcome.targets.length === 1 ? 'it' : 'them'}.`
	);
	return ExitCode.Ok;
}

/** `forget agents.reviewer`: the records of other kinds, asked for as sessions are. */
async function runForgetRecords(keys: string[], flags: ForgetFlags, io: Io): Promise<number> {
	const request = {
		files: parseSpecFlags(flags).files,
		target: parseHubFlags(flags),
		...tableOf(io),
		approve: async (spec: Spec, targets: readonly RecordForgetTarget[]) => {
			io.out(
				[
					`Stack ${printable(spec.stack)} stops owning these records; they are left as they are (not deleted):`,
					...targets.map(
						(target) =>
							`  ${printable(target.qualifiedKey)}  ${printable(target.id)} (${printable(target.kind)})`
					),
				].join('\n')
			);
			if (flags.autoApprove) return true;
			if (!io.ask) {
				throw new UserError(
					'no terminal to confirm on: review the records, then re-run with --auto-approve'
				);
			}
			return io.ask('\nForget these records? Only `yes` is accepted: ');
		},
	};
	const { spec, outcome } = await forgetRecordsFiles(
		keys,
		request,
		withSpecVars(environmentOf(io), flags)
	);
	return showRecordsForgotten(spec.stack, outcome, io);
}

function showRecordsForgotten(stack: string, outcome: RecordForgetOutcome, io: Io): number {
	if (outcome.status === 'cancelled') {
		io.err('Forget cancelled; nothing was changed.');
		return ExitCode.Error;
	}
	for (const target of outcome.targets) {
		const failure = outcome.failures.get(target.id);
		io.out(
			failure === undefined
				? `  forgotten ${printable(target.qualifiedKey)}  ${printable(target.id)}`
				: `  ! ${printable(target.qualifiedKey)}  ${printable(target.id)}: not forgotten: ${printable(failure)}`
		);
	}
	if (!outcome.succeeded) {
		io.err('Some records were not forgotten; run forget again for their keys.');
		return ExitCode.Partial;
	}
	const count = outcome.targets.length;
	io.out(
		`\nForgot ${count === 1 ? '1 record' : `${count} records`}; stack ${printable(stack)} no longer owns ${count === 1 ? 'it' : 'them'}.`
	);
	return ExitCode.Ok;
}
