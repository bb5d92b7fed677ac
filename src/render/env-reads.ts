/**
 * The masked text of an env value, with the variables its template reads. A reviewer who sees
 * only the plan (a pull-request comment) must see which of the runner's variables a session
 * will be given: a template switched from `${DOCS_TOKEN}` to `${AGENTUITY_SDK_KEY}` would
 * otherwise read as any other change. Names only, which the spec file shows anyway: never a
 * value, nor a template's literal text.
 */
import { fewOf } from '../core/few.js';
import { templateReferences } from '../kinds/session/env-template.js';
import { printable } from './format.js';

/** Names shown before the rest are counted. */
const SHOWN_NAMES = 5;

export function maskedEnvText(state: 'changed' | undefined, template: string | undefined): string {
	const head = state ? `sensitive, ${state}` : 'sensitive';
	const names = template === undefined ? [] : templateReferences(template).map(printable);
	return names.length === 0 ? `(${head})` : `(${head}; reads ${fewOf(names, SHOWN_NAMES)})`;
}
