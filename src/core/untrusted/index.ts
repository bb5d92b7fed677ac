/**
 * The one place untrusted text (from the Hub, a spec, a proxy) becomes what each output may
 * hold: text (escaped, never a workflow command), markdown (entities and fences) and JSON (exact).
 * Every renderer and every line the CLI prints goes through it.
 */
export {
	escapeChar,
	guardLines,
	inlineText,
	isWorkflowCommand,
	messageText,
	textLines,
} from './text.js';
export { codeText, fenced, markdownText } from './markdown.js';
export { jsonText } from './json.js';
export { yamlText } from './yaml.js';
