/** The "Examples:" block of a command's --help, for the commands people reach for first. */
import type { Command } from 'commander';

const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
	plan: [
		'coder-sessions plan',
		'coder-sessions plan -f base.yaml -f team.yaml --only docs-review',
		'coder-sessions plan --out plan.json --detailed-exitcode  # CI: exit 2 when there are changes',
		'coder-sessions plan --format markdown --base origin/main  # a pull-request comment',
		'coder-sessions plan --local  # against the embedded local Hub',
		'coder-sessions plan --replace docs-review  # recreate a stuck session',
		'coder-sessions plan --destroy  # archive every session of the stack',
	],
	apply: [
		'coder-sessions apply  # plan, ask for yes, apply',
		'coder-sessions apply --auto-approve --only docs-review',
		'coder-sessions apply plan.json  # exactly the plan saved by plan --out',
		'coder-sessions apply --allow-removals 3  # let a safety rail pass for exactly 3 removals',
		"coder-sessions apply --destroy --allow-removals 5  # archive the stack's 5 sessions",
	],
	show: [
		'coder-sessions show plan.json',
		'coder-sessions show plan.json --format markdown',
		'coder-sessions show plan.json --no-check  # offline, without comparing with the Hub',
	],
	'hub serve': [
		'coder-sessions hub serve  # then: export AGENTUITY_CODER_URL=http://127.0.0.1:4100',
		'coder-sessions hub serve --port 0 --no-state',
		'coder-sessions hub serve --github-repos examples/github-repos.yaml',
		'coder-sessions hub serve --latency-ms 200 --fail-rate 0.1  # try retries and rails',
	],
};

export function addHelpExamples(program: Command): void {
	for (const [path, lines] of Object.entries(EXAMPLES)) {
		const command = findCommand(program, path.split(' '));
		command?.addHelpText('after', `\nExamples:\n${aligned(lines).join('\n')}`);
	}
}

/** Comments (`# ...`) lined up in one column. */
function aligned(lines: readonly string[]): string[] {
	const split = lines.map((line) => {
		const at = line.indexOf('  # ');
		return at === -1 ? [line, ''] : [line.slice(0, at), line.slice(at + 2)];
	});
	const width = Math.max(
		...split.filter(([, comment]) => comment).map(([example]) => example!.length)
	);
	return split.map(
		([example, comment]) => `  ${comment ? `${example!.padEnd(width)}  ${comment}` : example}`
	);
}

/** The subcommand at `names` (e.g. ['hub', 'serve']), if the program has it. */
export function findCommand(program: Command, names: readonly string[]): Command | undefined {
	let command: Command | undefined = program;
	for (const name of names) command = command?.commands.find((child) => child.name() === name);
	return command;
}
