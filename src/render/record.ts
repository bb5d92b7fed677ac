/** Renders `show KEY`: one record of another kind, for people and as a versioned JSON document. Pure. */
import { inlineText as shown } from '../core/untrusted/text.js';
import type { Json } from '../plan/types.js';
import type { ResourceRecordView } from '../plan/resource-views.js';
import { describe } from './drift.js';
import type { Style } from './style.js';

export function renderRecordText(
	stack: string,
	records: readonly ResourceRecordView[],
	style: Style
): string {
	const blocks = records.map((record) => {
		const rows: [string, string][] = [
			['id', shown(record.id)],
			['status', statusWords(record)],
			...record.fields.map((field): [string, string] => [field.name, valueText(field.value)]),
		];
		const width = Math.max(...rows.map(([name]) => name.length)) + 1;
		return [
			style.bold(`${shown(record.qualifiedKey)} (${shown(record.kind)}) of stack ${shown(stack)}`),
			...rows.map(([name, value]) =>
				value.startsWith('\n')
					? `  ${shown(name)}:${value}`
					: `  ${`${shown(name)}:`.padEnd(width)} ${value}`
			),
		].join('\n');
	});
	return `${blocks.join('\n\n')}\n`;
}

function statusWords(record: ResourceRecordView): string {
	const words = [record.status, record.protect ? 'protected' : undefined].filter(
		(word): word is string => word !== undefined && word !== ''
	);
	return words.length > 0 ? shown(words.join(', ')) : '-';
}

/** A value on its line, or a longer one below it, indented. */
function valueText(value: Json | undefined): string {
	if (value === undefined) return '(unset)';
	const line = describe(value);
	if (line !== undefined) return line;
	const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
	return `\n${text
		.split('\n')
		.map((each) => `      ${shown(each)}`)
		.join('\n')}`;
}

export interface RecordJsonV1 {
	readonly formatVersion: 1;
	readonly stack: string;
	readonly records: readonly {
		readonly kind: string;
		readonly qualifiedKey: string;
		readonly id: string;
		readonly status: string | null;
		readonly protect: boolean;
		/** Each field's live value; null when unset on the Hub. */
		readonly fields: Readonly<Record<string, Json>>;
	}[];
}

export function toRecordJson(stack: string, records: readonly ResourceRecordView[]): RecordJsonV1 {
	return {
		formatVersion: 1,
		stack,
		records: records.map((record) => ({
			kind: record.kind,
			qualifiedKey: record.qualifiedKey,
			id: record.id,
			status: record.status ?? null,
			protect: record.protect === true,
			fields: Object.fromEntries(record.fields.map((field) => [field.name, field.value ?? null])),
		})),
	};
}
