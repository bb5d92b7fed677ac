/** The CI recipe's files: the example workflows and the composite action, read and parsed. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from './cli.js';

export interface CiFile {
	/** Path relative to the project root. */
	readonly path: string;
	readonly text: string;
	readonly doc: Record<string, unknown>;
}

export function readCiFile(path: string): CiFile {
	const text = readFileSync(join(projectRoot, path), 'utf8');
	return { path, text, doc: parse(text) as Record<string, unknown> };
}

export function exampleWorkflows(): CiFile[] {
	return readdirSync(join(projectRoot, 'examples/ci'))
		.filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
		.map((name) => readCiFile(`examples/ci/${name}`));
}

export const actionFile = (): CiFile => readCiFile('action.yml');

export type Step = Record<string, unknown> & { run?: string; uses?: string; env?: object };
export type Job = Record<string, unknown> & { steps?: Step[] };

export function jobsOf(workflow: CiFile): [string, Job][] {
	return Object.entries((workflow.doc.jobs ?? {}) as Record<string, Job>);
}

export function actionSteps(action: CiFile): Step[] {
	return ((action.doc.runs as { steps?: Step[] }).steps ?? []) as Step[];
}
