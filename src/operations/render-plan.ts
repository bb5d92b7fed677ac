/** A plan as text, markdown or JSON, the way the CLI prints it. */
import { RENDERERS, type OutputFormat, type PlanMeta } from '../render/index.js';
import type { Planned } from './plan.js';

export interface RenderPlanOptions {
	/** `text` (default), `markdown` (a pull-request comment) or `json` (formatVersion 1). */
	readonly format?: OutputFormat;
	/** ANSI colour, text only (default none). */
	readonly color?: boolean;
	/** Added to what the plan knows of itself, e.g. `stale` warnings or the CI run's `runUrl`. */
	readonly meta?: Partial<PlanMeta>;
}

export function renderPlan(
	planned: Pick<Planned, 'plan' | 'meta'>,
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
