/** The action's `args` input: words split as a shell would, without a shell, and checked. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { argsFor, split } = require('../../action/args.cjs') as {
	split(text: string): string[];
	argsFor(command: string, text: string): { args: string[]; notes: string[] };
};

describe('the args input', () => {
	it('splits on white space and line breaks, keeps quoted text whole, expands nothing', () => {
		expect(
			split(
				`--org "org 1"  --only 'docs-*'\n  --select tag=a\\ b # a comment\n--url "http://h/\\"q\\""  $HOME \`id\` $(id) ~ *`
			)
		).toEqual([
			'--org',
			'org 1',
			'--only',
			'docs-*',
			'--select',
			'tag=a b',
			'--url',
			'http://h/"q"',
			'$HOME',
			'`id`',
			'$(id)',
			'~',
			'*',
		]);
		expect(split('a\'b\'"c"d')).toEqual(['abcd']);
		expect(split("''")).toEqual(['']);
		expect(split('a#b # c\nd')).toEqual(['a#b', 'd']);
		expect(split('a\\\nb')).toEqual(['ab']);
	});

	it('refuses what a shell would not close', () => {
		for (const [text, says] of [
			["'open", "a ' that is never closed"],
			['"open', 'a " that is never closed'],
			['end\\', 'a \\ at the end'],
			['a\0b', 'a NUL character'],
		])
			expect(() => split(text!)).toThrow(says!);
	});

	it('gives each command the flags it takes, with their values, in either form', () => {
		const text =
			'--org o --only "do*" --discovery=search --replace docs --allow-removals 2 --verbose';
		expect(argsFor('plan', text).args).toEqual([
			'--org',
			'o',
			'--only',
			'do*',
			'--discovery=search',
			'--replace',
			'docs',
			'--verbose',
		]);
		const apply = argsFor('apply', text);
		expect(apply.args).toEqual([
			'--org',
			'o',
			'--discovery=search',
			'--allow-removals',
			'2',
			'--verbose',
		]);
		expect(apply.notes).toEqual([
			'--only is left out of apply of the saved plan: it is for plan and drift',
			'--replace is left out of apply of the saved plan: it is for plan',
		]);
		expect(argsFor('drift', text).args).toEqual([
			'--org',
			'o',
			'--only',
			'do*',
			'--discovery=search',
			'--verbose',
		]);
	});

	it('refuses the flags the action sets, unknown flags, words that are no flag, missing values', () => {
		for (const [text, says] of [
			['--format json', '--format is set by the action'],
			['--out=x.json', '--out is set by the action'],
			['-f a.yaml', '-f is set by the files input'],
			['--base main', '--base is set by the base input'],
			['--auto-approve', '--auto-approve is set by the action'],
			['--local', '--local is set by the action'],
			['--bogus', '--bogus is not a flag the action passes on'],
			['sessions.yaml', '"sessions.yaml" is not a flag'],
			['--org', '--org needs a value'],
			['--verbose=yes', '--verbose takes no value'],
		])
			expect(() => argsFor('plan', text!), text).toThrow(says!);
		expect(argsFor('plan', '').args).toEqual([]);
	});
});
