/** Plan renderers: pure functions from a PlanView to the text the CLI writes. */
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';
import type { OutputFormat, PlanView, RenderOptions } from './view.js';

export { renderJson, toPlanJson, PLAN_JSON_FORMAT_VERSION } from './json.js';
export type {
	PlanJsonV1,
	PlanJsonActionV1,
	PlanJsonBaseV1,
	PlanJsonChangeV1,
	PlanJsonDesiredV1,
	PlanJsonResourceActionV1,
	PlanJsonResourceChangeV1,
	PlanJsonResourcesV1,
} from './json.js';
export { renderMarkdown, MARKDOWN_LIMIT, type MarkdownOptions } from './markdown.js';
export { renderText } from './text.js';
export { createStyle, plainStyle, type Style } from './style.js';
export type { OutputFormat, PlanMeta, PlanView, RenderOptions } from './view.js';

export const RENDERERS: Record<OutputFormat, (view: PlanView, options: RenderOptions) => string> = {
	text: renderText,
	markdown: (view) => renderMarkdown(view),
	json: (view) => renderJson(view),
};
