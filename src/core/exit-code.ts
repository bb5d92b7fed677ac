/**
 * The one exit-code table of the CLI (Terraform-compatible for 0/1/2).
 * Every command returns one of these (cli/run.ts turns it into process.exitCode); a UserError
 * carries one.
 */
export const ExitCode = {
	/** Done, or nothing to change. */
	Ok: 0,
	/** Bad input, a Hub error, or any other failure. */
	Error: 1,
	/** `--detailed-exitcode`: the plan has changes. */
	Changes: 2,
	/** A safety rail refused the plan. */
	Refused: 3,
	/** A saved plan no longer matches the Hub. */
	Stale: 4,
	/** Apply finished, but some actions failed. */
	Partial: 5,
	/** `drift`: live sessions differ from what was last applied. */
	Drift: 6,
	/** Stopped by Ctrl-C (SIGINT) or SIGTERM while applying, as shells report it. */
	Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
