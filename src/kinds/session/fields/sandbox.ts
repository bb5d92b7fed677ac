/**
 * The sandbox settings of the SDK's create request, written flat on the entry as the SDK does and
 * held together as one field: all fixed at creation, none in the SDK's session detail, so they
 * are compared through the applied stamp only.
 */
import * as z from 'zod';
import { defineField, defined, mergeShallow } from './row.js';
import { text, textList } from './schema-kit.js';

export interface SandboxConfig {
	readonly projectId?: string;
	readonly runtime?: string;
	readonly runtimeId?: string;
	readonly name?: string;
	readonly description?: string;
	readonly snapshot?: string;
	readonly resources?: { readonly memory?: string; readonly cpu?: string; readonly disk?: string };
	readonly network?: { readonly enabled?: boolean; readonly port?: number };
	readonly timeout?: {
		readonly idle?: string;
		readonly execution?: string;
		readonly paused?: string;
	};
	readonly dependencies?: readonly string[];
	readonly packages?: readonly string[];
	readonly scopes?: readonly string[];
}

const sandboxSpec = {
	projectId: text('Project ID to associate the session sandbox with'),
	runtime: text('Runtime name for the session sandbox (e.g. "bun:1", "python:3.14")'),
	runtimeId: text('Runtime ID for the session sandbox (e.g. "srt_xxx")'),
	name: text('Sandbox name'),
	description: text('Sandbox description'),
	snapshot: text('Snapshot ID or tag to restore the sandbox from'),
	resources: z
		.strictObject({
			memory: text('Memory limit (e.g. "500Mi", "1Gi")'),
			cpu: text('CPU limit in millicores (e.g. "500m", "1000m")'),
			disk: text('Disk limit (e.g. "500Mi", "1Gi")'),
		})
		.optional()
		.describe('Resource limits for the session sandbox'),
	network: z
		.strictObject({
			enabled: z.boolean().optional().describe('Whether outbound network access is enabled'),
			port: z
				.number()
				.int()
				.min(1024)
				.max(65535)
				.optional()
				.describe('Port to expose from the sandbox (1024-65535)'),
		})
		.optional()
		.describe('Network configuration for the session sandbox'),
	timeout: z
		.strictObject({
			idle: text('Idle timeout before the sandbox is reaped (e.g. "10m", "1h")'),
			execution: text('Maximum execution time per command (e.g. "5m", "1h")'),
			paused: text('Maximum time the sandbox may stay paused (e.g. "24h", "0" for no limit)'),
		})
		.optional()
		.describe('Timeout configuration for the session sandbox'),
	dependencies: textList('Apt packages to install when the sandbox is created'),
	packages: textList('npm/bun packages to install globally when the sandbox is created'),
	scopes: textList('Permission scopes for automatic service access (e.g. "services:read")'),
};

const copy = (values: readonly string[] | undefined) => (values ? [...values] : undefined);

export const sandbox = defineField({
	name: 'sandbox',
	spec: sandboxSpec,
	merge: (entry, defaults): SandboxConfig | undefined => {
		const value: SandboxConfig = defined({
			projectId: entry.projectId ?? defaults.projectId,
			runtime: entry.runtime ?? defaults.runtime,
			runtimeId: entry.runtimeId ?? defaults.runtimeId,
			name: entry.name ?? defaults.name,
			description: entry.description ?? defaults.description,
			snapshot: entry.snapshot ?? defaults.snapshot,
			resources: mergeShallow(defaults.resources, entry.resources),
			network: mergeShallow(defaults.network, entry.network),
			timeout: mergeShallow(defaults.timeout, entry.timeout),
			dependencies: entry.dependencies ?? defaults.dependencies,
			packages: entry.packages ?? defaults.packages,
			scopes: entry.scopes ?? defaults.scopes,
		});
		return Object.keys(value).length > 0 ? value : undefined;
	},
	compare: 'value',
	onChange: 'replace',
	optional: true,
	create: (value: SandboxConfig) =>
		defined({
			...value,
			dependencies: copy(value.dependencies),
			packages: copy(value.packages),
			scopes: copy(value.scopes),
		}),
	render: 'value',
});
