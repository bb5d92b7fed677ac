// The bare SDK read a plan is compared with: what a script that knows exactly what to read does
// at the same parallelism, in a process of its own (Node and the SDK start as the CLI's do):
// list every page, then getSession for each session, 8 at a time. Prints the calls it made.
import { CoderClient } from '@agentuity/core/coder';
import pLimit from 'p-limit';

const [url, parallelism = '8'] = process.argv.slice(2);
const client = new CoderClient({ url, apiKey: 'bench' });
const ids = [];
let list = 0;
for (let offset = 0; ; offset += 100) {
	const page = await client.listSessions({ includeArchived: true, limit: 100, offset });
	list += 1;
	ids.push(...page.sessions.map((session) => session.sessionId));
	if (page.sessions.length < 100) break;
}
const limit = pLimit(Number(parallelism));
await Promise.all(ids.map((id) => limit(() => client.getSession(id))));
process.stdout.write(JSON.stringify({ list, get: ids.length }));
