import type { HubCallCounts } from '../hub/types.js';
import type { BaseAttribution } from '../plan/origin.js';
import type { Plan } from '../plan/types.js';

/** What the CLI knows beside the plan itself: where it came from and what reading the Hub cost. */
export interface PlanMeta {
	/** The spec files, in the order given. */
	readonly files: readonly string[];
	readonly hubCalls?: HubCallCounts;
	/** How the Hub's sessions were found, in one line (e.g. "search verified ..."). */
	readonly discovery?: string;
	/** Warnings shown at the top, e.g. why a saved plan is stale. */
	readonly stale?: readonly string[];
	/** What planning printed on stderr (e.g. a check it skipped); never a secret. */
	readonly notes?: readonly string[];
	/** The CI run that made the plan, where its full output is (GitHub Actions). */
	readonly runUrl?: string;
	/** With `plan --base REF`: which actions this change introduces and which were pending without it. */
	readonly base?: BaseAttribution;
}

/** The input of every renderer. */
export interface PlanView {
	readonly plan: Plan;
	readonly meta: PlanMeta;
}

export interface RenderOptions {
	/** Only the text renderer colours; the CLI decides from TTY, NO_COLOR and --no-color. */
	readonly color: boolean;
}

export type { OutputFormat } from './formats.js';
