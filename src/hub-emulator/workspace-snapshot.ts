/**
 * A workspace's snapshot: the sandbox image its dependencies and setup script are installed into.
 * A build reads `building` until `readyAt`, then `ready` (or `failed`, with an error, when the
 * build was drawn to fail). What it ends as is decided when it starts, so the journal holds one
 * record per build and the state read at any moment follows from the time alone, as a session's
 * lifecycle does.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';

/**
 * As stored. `status` is where the build ends; earlier versions stored ready snapshots without
 * `readyAt` or `buildId`, and those read as ready.
 */
export const SnapshotBuildSchema = z.object({
	status: z.enum(['ready', 'failed']),
	buildId: z.string().optional(),
	configHash: z.string(),
	requestedAt: z.string(),
	readyAt: z.string().optional(),
	snapshotId: z.string().optional(),
	snapshotRef: z.string().optional(),
	error: z.string().optional(),
});
export type SnapshotBuild = z.infer<typeof SnapshotBuildSchema>;

/** What the Hub's settings say about builds: how long one takes, and whether it fails. */
export interface SnapshotBuilder {
	readonly readyAfterMs: number;
	/** Drawn once per build. */
	readonly buildFails: () => boolean;
}

/** The inputs a snapshot is built from. */
export interface SnapshotInputs {
	readonly dependencies: readonly string[];
	readonly setupScript: string;
}

export const BUILD_FAILED_ERROR =
	'Injected failure: the local Hub is configured to fail snapshot builds';

export function configHash(inputs: SnapshotInputs): string {
	return createHash('sha256')
		.update(JSON.stringify([inputs.dependencies, inputs.setupScript]))
		.digest('hex')
		.slice(0, 16);
}

/** Whether a write moves the inputs, and so needs a new build. */
export function inputsChanged(before: SnapshotInputs, after: SnapshotInputs): boolean {
	return configHash(before) !== configHash(after);
}

export function startBuild(
	workspaceId: string,
	inputs: SnapshotInputs,
	builder: SnapshotBuilder,
	now: Date,
	previous?: SnapshotBuild
): SnapshotBuild {
	const hash = configHash(inputs);
	const requestedAt = now.toISOString();
	const buildId = `build_${createHash('sha256')
		.update(`${workspaceId}:${hash}:${requestedAt}:${previous?.buildId ?? ''}`)
		.digest('hex')
		.slice(0, 12)}`;
	const readyAt = new Date(now.getTime() + builder.readyAfterMs).toISOString();
	const ends = builder.buildFails()
		? { status: 'failed' as const, error: BUILD_FAILED_ERROR }
		: {
				status: 'ready' as const,
				snapshotId: `snap_${hash}`,
				snapshotRef: `local/${workspaceId}:${hash}`,
			};
	return { ...ends, buildId, configHash: hash, requestedAt, readyAt };
}

/** The snapshot as the SDK's workspace schema has it, at `nowMs`. */
export function snapshotWire(build: SnapshotBuild, nowMs: number): Record<string, unknown> {
	const readyAt = build.readyAt ?? build.requestedAt;
	const common = {
		...(build.buildId !== undefined ? { buildId: build.buildId } : {}),
		configHash: build.configHash,
		requestedAt: build.requestedAt,
	};
	if (nowMs < Date.parse(readyAt)) {
		return { status: 'building', ...common, updatedAt: build.requestedAt };
	}
	if (build.status === 'failed') {
		return { status: 'failed', ...common, updatedAt: readyAt, error: build.error ?? 'failed' };
	}
	return {
		status: 'ready',
		...(build.snapshotId !== undefined ? { snapshotId: build.snapshotId } : {}),
		...(build.snapshotRef !== undefined ? { snapshotRef: build.snapshotRef } : {}),
		...common,
		createdAt: readyAt,
		updatedAt: readyAt,
	};
}
