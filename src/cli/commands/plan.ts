import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '../../errors.js';
import { serializeSavedPlan, SAVED_PLAN_KIND, SAVED_PLAN_VERSION } from '../../plan/saved.js';
import { savedPlanBody } from '../../env/saved-env.js';
import { hasChanges } from '../../plan/types.js';
import { redact } from '../../secrets/redact.js';
import { readOnly } from '../../hub-client/client.js';
import { renderMarkdown } from '../../render/index.js';
import { ExitCode } from '../exit.js';
import { actionsRunUrl, appendStepSummary } from '../github-actions.js';
import { attributeToBase, loadBaseSpec } from '../base-plan.js';
import { addHubOptions, openHub, parseParallelism } from '../hub-options.js';
import { processIo, type Io } from '../io.js';
import { loadSpecOrFail, parseFormat, planAgainstHub, render, useColor } from '../planning.js';
import { checkPinnedRepos } from '../repo-check.js';
import { wouldRefuse, reportRefusal } from '../refusal.js';
import { exitWith, runCommand } from '../run.js';
import { collect, specFileOption, type SpecFileFlags } from '../spec-option.js';
import type { HubFlags } from '../../hub-client/connection.js';
import type { DiscoveryMode } from '../../discovery/types.js';
import { discoveryOption } from '../discovery-option.js';

export interface PlanFlags extends HubFlags, SpecFileFlags {
	readonly out?: string;
	readonly format?: string;
	readonly detailedExitcode?: boolean;
	readonly parallelism?: string;
	readonly only?: string[];
	readonly color?: boolean;
	readonly takeOver?: boolean;
	/** False with --no-repo-check. */
	readonly repoCheck?: boolean;
	readonly discovery?: DiscoveryMode;
	/** A git ref of the spec: mark each action as this change's or already pending at the ref. */
	readonly base?: string;
}

export function registerPlan(program: Command): void {
	const command = program
		.command('plan')
		.description('Show what apply would change on the Hub to match the spec (reads only)')
		.addOption(specFileOption())
		.option('-o, --out <planfile>', 'save the plan, to apply it later with `apply PLANFILE`')
		.addOption(
			new Option('--format <format>', 'output format')
				.choices(['text', 'markdown', 'json'])
				.default('text')
		)
		.option(
			'--detailed-exitcode',
			'exit 2 when the plan has changes, 0 when it has none (3 when apply would refuse it, with or without this flag)'
		)
		.option('--parallelism <n>', 'Hub reads at once (default: 8)')
		.option('--only <key>', 'plan only this entry key; repeatable', collect)
		.option('--take-over', 'let adopt: take sessions over from other stacks')
		.addOption(discoveryOption())
		.option('--no-color', 'no colour in text output (also: NO_COLOR)')
		.option('--no-repo-check', 'do not check that the GitHub App reaches every pinned repo')
		.option(
			'--base <ref>',
			"also plan the spec as it was at this git ref (e.g. origin/main) and mark each action as this change's or already pending without it"
		);
	addHubOptions(command).action(async (flags: PlanFlags) => {
		const io = processIo();
		exitWith(await runCommand(io, () => runPlan(flags, io)));
	});
}

export async function runPlan(flags: PlanFlags, io: Io): Promise<number> {
	const format = parseFormat(flags.format);
	const parallelism = parseParallelism(flags.parallelism);
	const files = flags.file ?? [];
	const spec = await loadSpecOrFail(files, io);
	const baseSpec =
		flags.base !== undefined ? await loadBaseSpec(flags.base, spec.files, io) : undefined;
	const opened = await openHub(flags, io);
	try {
		const reader = readOnly(opened.hub);
		const request = {
			only: flags.only ?? [],
			parallelism,
			takeOver: flags.takeOver,
			discovery: flags.discovery,
			...(baseSpec?.spec ? { base: baseSpec.spec } : {}),
		};
		const { plan, live, notes, discovery } = await planAgainstHub(spec, reader, io, request);
		const base = baseSpec ? attributeToBase(baseSpec, plan, live, io, request) : undefined;
		const repoNotes = await checkPinnedRepos(plan, reader, io, {
			enabled: flags.repoCheck !== false,
			skipped: opened.repoCheckSkipped,
			parallelism,
		});
		const runUrl = actionsRunUrl(io.env);
		const meta = {
			files: spec.files,
			hubCalls: reader.calls,
			discovery,
			notes: [...notes, ...repoNotes],
			...(runUrl ? { runUrl } : {}),
			...(base ? { base } : {}),
		};
		io.out(render(format, plan, meta, useColor(io, flags.color)));
		if (format === 'markdown') {
			await appendStepSummary(io, (limit) => redact(renderMarkdown({ plan, meta }, { limit })));
		}
		const refused = wouldRefuse(plan);
		if (flags.out) {
			const out = resolve(io.cwd, flags.out);
			if (spec.files.some((file) => resolve(io.cwd, file) === out)) {
				throw new UserError(`--out ${flags.out} would overwrite a spec file; name another file`);
			}
			const saved = {
				kind: SAVED_PLAN_KIND,
				formatVersion: SAVED_PLAN_VERSION,
				createdAt: new Date().toISOString(),
				target: opened.target,
				...savedPlanBody(spec, plan, io.env),
			} as const;
			try {
				await writeFile(resolve(io.cwd, flags.out), redact(serializeSavedPlan(saved)), {
					mode: 0o600,
				});
			} catch (error) {
				// A bad --out path is the user's to fix, not a crash.
				const reason = error instanceof Error ? error.message : String(error);
				throw new UserError(`cannot write the plan to ${flags.out}: ${reason}`);
			}
			if (!refused) {
				io.err(
					`Saved the plan to ${flags.out}. Apply exactly these changes with: coder-sessions apply ${flags.out}`
				);
			}
		}
		// Refused here, on the pull request, rather than by apply after the merge.
		if (refused) {
			const saved = flags.out ? ` (saved to ${flags.out} for review)` : '';
			reportRefusal(plan, io, `Apply would refuse this plan${saved}:`);
			return ExitCode.Refused;
		}
		return flags.detailedExitcode && hasChanges(plan) ? ExitCode.Changes : ExitCode.Ok;
	} finally {
		await opened.close();
	}
}
