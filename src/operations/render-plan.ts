/** A plan as text, markdown or JSON, the way the CLI prints it. */
import { RENDERERS, type OutputFormat, type PlanMeta } from '../render/index.js';
import type { Plan } from '../plan/types.js';

export interface RenderPlanOptions {
	/** `text` (default), `markdown` (a pull-request comment) or `json` (formatVersion 1). */
	readonly format?: OutputFormat;
	/** ANSI colour, text only (default none). */
	readonly color?: boolean;
	/** Added to what the plan knows of itself, e.g. `stale` warnings or the CI run's `runUrl`. */
	readonly meta?: Partial<PlanMeta>;
}

export function renderPlan(
	/** A plan just made, or one saved (which has no prior state: no view shows it). */
	planned: { readonly plan: Plan; readonly meta: PlanMeta },
	options: RenderPlanOptions = {}
): string {
	const meta = { ...planned.meta, ...options.meta };
	return RENDERERS[options.format ?? 'text'](
		{ plan: planned.plan, meta },
		{
			color: options.color === true,
		}
	);
}
