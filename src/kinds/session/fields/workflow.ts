/**
 * Workflow mode and loop settings. A loop block implies loop mode; an explicit standard mode
 * drops a loop inherited from the defaults (a loop and standard in one block is a spec error).
 *
 * Both are set at creation only. The SDK's update type takes them, but the PATCH the Hub's REST
 * reference documents does not, and the Hub echoes no loop settings: an update could be ignored
 * while the applied stamp says done. So a change of either is a replace, and plans say why.
 */
import * as z from 'zod';
import { defineField, mergeShallow, type SpecInput } from './row.js';
import { text } from './schema-kit.js';

export type WorkflowMode = 'standard' | 'loop';

export interface LoopConfig {
	readonly goal?: string;
	readonly maxIterations?: number;
	readonly autoContinue?: boolean;
	readonly allowDetached?: boolean;
}

const LoopSchema = z
	.strictObject({
		goal: text('High-level goal the loop works towards'),
		maxIterations: z
			.number()
			.int()
			.min(1)
			.optional()
			.describe('Maximum loop iterations before completion'),
		autoContinue: z
			.boolean()
			.optional()
			.describe('Whether the loop continues without manual approval'),
		allowDetached: z
			.boolean()
			.optional()
			.describe('Whether the loop keeps running when no client is attached'),
	})
	.describe('Loop mode settings; a loop block implies workflowMode: loop')
	.meta({ id: 'loop' });

interface WorkflowInput {
	readonly workflowMode?: WorkflowMode;
	readonly loop?: LoopConfig;
}

function workflowModeOf(entry: WorkflowInput, defaults: WorkflowInput): WorkflowMode | undefined {
	return (
		entry.workflowMode ??
		(entry.loop ? 'loop' : undefined) ??
		defaults.workflowMode ??
		(defaults.loop ? 'loop' : undefined)
	);
}

const WORKFLOW_REPLACE_WHY =
	"the Hub's documented update (PATCH) takes neither workflowMode nor loop";

const workflowInput = (values: SpecInput<z.ZodRawShape>) => values as WorkflowInput;

export const workflowMode = defineField({
	name: 'workflowMode',
	spec: {
		workflowMode: z
			.enum(['standard', 'loop'])
			.optional()
			.describe('Workflow execution mode; a loop block implies loop'),
	},
	merge: (entry, defaults) => workflowModeOf(workflowInput(entry), workflowInput(defaults)),
	compare: 'value',
	onChange: 'replace',
	replaceWhy: WORKFLOW_REPLACE_WHY,
	optional: true,
	echo: (live) => live.workflowMode,
	create: (value: WorkflowMode) => ({ workflowMode: value }),
	render: 'value',
	// Standard is what the Hub does without one.
	exportValue: (echo) => (echo === 'loop' ? 'loop' : undefined),
});

export const loop = defineField({
	name: 'loop',
	spec: {
		loop: LoopSchema.optional().describe(
			'Loop mode settings {goal, maxIterations, autoContinue, allowDetached}; implies workflowMode: loop'
		),
	},
	merge: (entry, defaults): LoopConfig | undefined => {
		const mode = workflowModeOf(workflowInput(entry), workflowInput(defaults));
		return mode === 'loop' ? mergeShallow(defaults.loop, entry.loop) : undefined;
	},
	compare: 'value',
	onChange: 'replace',
	replaceWhy: WORKFLOW_REPLACE_WHY,
	optional: true,
	create: (value: LoopConfig) => ({ loop: { ...value } }),
	render: 'value',
});
