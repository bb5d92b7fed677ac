export type * from '../kinds/session/desired.js';
export { IGNORABLE_FIELDS } from '../kinds/session/desired.js';
export {
	formatPath,
	formatSpecError,
	renderSpecErrors,
	specErrorToJson,
	summarizeSpecErrors,
	type PathSegment,
	type SourcePos,
	type SpecError,
	type SpecErrorJson,
} from './errors.js';
export {
	ENV_NAME_PATTERN,
	parseTemplate,
	resolveTemplate,
	templateProblems,
	templateReferences,
	type ParsedTemplate,
	type ResolvedTemplate,
	type TemplatePart,
} from '../kinds/session/env-template.js';
export { DEFAULT_SPEC_FILE, MAX_SPEC_BYTES, loadSpec, type LoadSpecOptions } from './load.js';
export { mergeSpecFiles, parseSpec, type SpecResult, type SpecSource } from './merge.js';
export { parseRepo } from './normalize.js';
export { parseSpecText, type ParseFileResult, type ParsedSpecFile } from './parse.js';
export { SPEC_VERSION, specJsonSchema } from './schema.js';
export { normalizeVisibility } from '../kinds/session/visibility.js';
