/** What `coder-sessions schema` does when it runs (loaded then); commands/schema.ts declares its flags and help. */
import { specJsonSchema } from '../../spec/index.js';

/** The schema as printed: stable, so the committed schema/sessions.schema.json can be compared. */
export function renderSpecJsonSchema(): string {
	return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
