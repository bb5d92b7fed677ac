/** Renders the drift report: grouped text for people, versioned JSON for machines. Pure. */
import { quote } from './format.js';
import { filesText } from './files-text.js';
import type { Style } from './style.js';
import { inlineText as shown } from '../core/untrusted/text.js';
import type { Json, OutsideChange, PendingChange } from '../plan/types.js';
import { hasOutsideDrift, type DriftReport, type SessionDrift } from '../plan/drift-report.js';
import type { ResourceDrift, ResourceFieldDrift } from '../plan/resource-views.js';

const VALUE_WIDTH = 60;

export function renderDriftText(report: DriftReport, style: Style): string {
	const lines = [
		style.bold(
			`coder-sessions drift for stack ${shown(report.stack)} (${filesText(report.files, shown)})`
		),
	];
	const outside = report.sessions.filter((s) => s.outside.length > 0);
	const pending = report.sessions.filter((s) => s.pending.length > 0 || s.pendingAction);
	const never = report.sessions.filter((s) => s.stamp === 'none');
	if (outside.length > 0) {
		lines.push(
			'',
			style.warn(
				'Changed outside coder-sessions (the live session differs from what was last applied):'
			)
		);
		for (const session of outside)
			lines.push('', heading(session, style), ...session.outside.map(outsideLine));
	}
	if (pending.length > 0) {
		lines.push(
			'',
			style.bold('Spec changes not yet applied (the spec differs from what was last applied):')
		);
		for (const session of pending) {
			lines.push('', heading(session, style), ...session.pending.map(pendingLine));
			if (session.pendingAction && session.note) lines.push(`      ${shown(session.note)}`);
		}
	}
	if (never.length > 0) {
		lines.push(
			'',
			style.bold(
				'Never applied by coder-sessions (no applied stamp: `plan` compares them by value):'
			),
			''
		);
		lines.push(...never.map((session) => heading(session, style)));
	}
	const resources = report.resources ?? [];
	if (resources.length > 0) {
		lines.push(
			'',
			style.warn(
				'Records of other kinds that differ from the spec (changed on the Hub, or the spec changed since):'
			)
		);
		for (const record of resources)
			lines.push('', resourceHeading(record, style), ...record.fields.map(resourceFieldLine));
	}
	lines.push('', summary(report));
	if (resources.length > 0) lines.push(resourceSummary(resources));
	if (report.counts.outside + report.counts.pending + resources.length > 0) {
		lines.push('Run `coder-sessions plan` to see what apply would change to match the spec again.');
	}
	return `${lines.join('\n')}\n`;
}

function heading(session: SessionDrift, style: Style): string {
	const id = session.sessionId ? `  ${style.dim(shown(session.sessionId))}` : '';
	const label = session.label === undefined ? '' : ` ${quote(session.label)}`;
	return `  ${style.bold(shown(session.key))}${id}${label}`;
}

function resourceHeading(record: ResourceDrift, style: Style): string {
	return `  ${style.bold(shown(record.qualifiedKey))}  ${style.dim(shown(record.id))} (${shown(record.kind)})`;
}

function resourceFieldLine(change: ResourceFieldDrift): string {
	const replace = change.replace ? ' (forces replace)' : '';
	const live = change.live === undefined ? '(unset)' : outline(change.live);
	const spec = change.spec === undefined ? undefined : outline(change.spec);
	if (live !== undefined && spec !== undefined)
		return `      ~ ${shown(change.field)}: Hub has ${live}, spec says ${spec}${replace}`;
	return `      ~ ${shown(change.field)}: differs from the spec${replace}`;
}

/**
 * A value as `describe` writes it; a text too long for one line as what it is (`3 lines of
 * text`), so a line never shows one side alone.
 */
function outline(value: Json): string | undefined {
	const described = describe(value);
	if (described !== undefined || typeof value !== 'string') return described;
	const lines = value.replace(/\n$/, '').split('\n').length;
	return lines > 1 ? `${lines} lines of text` : `${value.length} characters of text`;
}

/** `2 records of other kinds differ from the spec: 1 note, 1 pin.` */
function resourceSummary(resources: readonly ResourceDrift[]): string {
	const byKind = new Map<string, number>();
	for (const record of resources) byKind.set(record.kind, (byKind.get(record.kind) ?? 0) + 1);
	const kinds = [...byKind].map(
		([kind, count]) => `${count} ${shown(kind)}${count === 1 ? '' : 's'}`
	);
	const head =
		resources.length === 1
			? '1 record of another kind differs'
			: `${resources.length} records of other kinds differ`;
	return `Drift: ${head} from the spec: ${kinds.join(', ')}.`;
}

function outsideLine(change: OutsideChange): string {
	if (change.field === 'stamp')
		return '      ~ coder-sessions/applied: overwritten with a value that is not a stamp';
	if (change.field === 'metadata' && change.keys) {
		const keys = change.keys.map(
			(key) => `${shown(key)}: ${entry(change.applied, key)} -> ${entry(change.live, key)}`
		);
		return `      ~ metadata: ${keys.join(', ')}`;
	}
	const live = describe(change.live);
	const applied = change.applied === undefined ? undefined : describe(change.applied);
	if (applied !== undefined && live !== undefined)
		return `      ~ ${shown(change.field)}: ${applied} -> ${live}`;
	if (live !== undefined) return `      ~ ${shown(change.field)}: now ${live}`;
	return `      ~ ${shown(change.field)}: changed`;
}

function pendingLine(change: PendingChange): string {
	const replace = change.replace ? ' (forces replace)' : '';
	if (change.envKeys) {
		const symbol = { added: '+', removed: '-', changed: '~', unchanged: ' ' } as const;
		const keys = change.envKeys.map((e) => `${symbol[e.change]}${shown(e.key)}`).join(', ');
		return `      ~ env keys: ${keys}${replace}`;
	}
	const value = describe(change.spec);
	return `      ~ ${shown(change.field)}${value === undefined ? ' changed' : `: spec says ${value}`}${replace}`;
}

function summary(report: DriftReport): string {
	const { counts } = report;
	if (counts.outside + counts.pending + counts.neverApplied === 0) {
		const clean = `${counts.clean} ${plural(counts.clean)} ${counts.clean === 1 ? 'matches' : 'match'} what was last applied.`;
		return (report.resources?.length ?? 0) > 0 ? `Sessions: ${clean}` : `No drift: ${clean}`;
	}
	return (
		`Drift: ${counts.outside} ${plural(counts.outside)} changed outside coder-sessions, ` +
		`${counts.pending} with spec changes not yet applied, ${counts.neverApplied} never applied, ${counts.clean} clean.`
	);
}

const plural = (n: number) => (n === 1 ? 'session' : 'sessions');

/**
 * A short one-line rendering of a value (hidden characters escaped), or undefined when it would
 * not fit on a line.
 */
export function describe(value: Json | undefined): string | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'string') {
		return value.includes('\n') || value.length > VALUE_WIDTH ? undefined : quote(value);
	}
	if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
		const text = `[${value.join(', ')}]`;
		return text.length > VALUE_WIDTH ? undefined : `[${value.map(shown).join(', ')}]`;
	}
	if (value === null || typeof value !== 'object') return String(value);
	return undefined;
}

function entry(record: Json | undefined, key: string): string {
	const value =
		record && typeof record === 'object' && !Array.isArray(record)
			? (record as Record<string, Json>)[key]
			: undefined;
	return value === undefined ? '(unset)' : (describe(value) ?? '(long value)');
}

export interface DriftSessionJson {
	readonly key: string;
	readonly sessionId: string | null;
	readonly label: string | null;
	readonly stamp: SessionDrift['stamp'] | null;
	readonly outside: readonly OutsideChange[];
	readonly pending: readonly PendingChange[];
	readonly pendingAction: SessionDrift['pendingAction'] | null;
	readonly note: string | null;
}

export interface DriftJsonV1 {
	readonly formatVersion: 1;
	readonly stack: string;
	readonly files: readonly string[];
	/**
	 * True when some session changed outside coder-sessions, or a record of another kind differs
	 * from the spec: the exit code is then 6.
	 */
	readonly drift: boolean;
	readonly counts: DriftReport['counts'];
	readonly sessions: readonly DriftSessionJson[];
	/** Records of the other kinds whose live values differ from the spec: these exit 6 too. */
	readonly resources: readonly DriftResourceJson[];
}

export interface DriftResourceJson {
	readonly kind: string;
	readonly qualifiedKey: string;
	readonly id: string;
	readonly fields: readonly {
		readonly field: string;
		readonly live: Json | null;
		readonly spec: Json | null;
		readonly replace: boolean;
	}[];
}

export function toDriftJson(report: DriftReport): DriftJsonV1 {
	return {
		formatVersion: 1,
		stack: report.stack,
		files: report.files,
		drift: hasOutsideDrift(report),
		counts: report.counts,
		sessions: report.sessions.map((session) => ({
			key: session.key,
			sessionId: session.sessionId ?? null,
			label: session.label ?? null,
			stamp: session.stamp ?? null,
			outside: session.outside,
			pending: session.pending,
			pendingAction: session.pendingAction ?? null,
			note: session.note ?? null,
		})),
		resources: (report.resources ?? []).map((record) => ({
			kind: record.kind,
			qualifiedKey: record.qualifiedKey,
			id: record.id,
			fields: record.fields.map((change) => ({
				field: change.field,
				live: change.live ?? null,
				spec: change.spec ?? null,
				replace: change.replace,
			})),
		})),
	};
}
