#!/usr/bin/env node
// The action's `args` input as the arguments of one command, NUL-separated on stdout.
//
//   ARGS='--org org_1 --discovery search' node args.cjs plan
//
// The text is split into words as a shell splits them, without a shell: white space (line
// breaks included) separates words, '...' keeps everything as it is, "..." keeps everything but
// \" and \\, a backslash outside quotes keeps the next character, and # at the start of a word
// comments out the rest of the line. Nothing is expanded: $VAR, `...`, $(...), ~ and * are text.
//
// Only coder-sessions flags are taken, each checked: flags the action sets itself (-f, --format,
// --out, --base, ...) are refused, as is anything else it does not know. Each command gets the
// flags it takes: `plan` (plan, apply and plan-fork modes), `apply` (apply of the saved plan:
// --only, --select, --replace, --destroy and --take-over are fixed by the plan, so left out), and
// `drift`. A flag another command takes is left out with a note on stderr.
'use strict';

/** value: takes a value; for: the commands that take it. */
const FLAGS = {
	'--url': { value: true, for: ['plan', 'apply', 'drift'] },
	'--org': { value: true, for: ['plan', 'apply', 'drift'] },
	'--region': { value: true, for: ['plan', 'apply', 'drift'] },
	'--request-timeout': { value: true, for: ['plan', 'apply', 'drift'] },
	'--parallelism': { value: true, for: ['plan', 'apply', 'drift'] },
	'--discovery': { value: true, for: ['plan', 'apply', 'drift'] },
	'--verbose': { value: false, for: ['plan', 'apply', 'drift'] },
	'--only': { value: true, for: ['plan', 'drift'] },
	'--select': { value: true, for: ['plan', 'drift'] },
	'--replace': { value: true, for: ['plan'] },
	'--destroy': { value: false, for: ['plan'] },
	'--take-over': { value: false, for: ['plan'] },
	'--no-repo-check': { value: false, for: ['plan', 'apply'] },
	'--no-reference-check': { value: false, for: ['plan', 'apply'] },
	'--allow-removals': { value: true, for: ['apply'] },
};

/** Set by the action from its own inputs, or by its scripts. */
const OWN = {
	'-f': 'the files input',
	'--file': 'the files input',
	'--format': 'the action',
	'-o': 'the action',
	'--out': 'the action',
	'--detailed-exitcode': 'the action',
	'--base': 'the base input',
	'--allow-missing-env': 'the allow-missing-env input',
	'--auto-approve': 'the action (apply runs the reviewed or approved plan)',
	'--local': 'the action (CI plans against your Hub)',
	'--write': 'the action',
	'--watch': 'the action',
	'--color': 'the action',
	'--no-color': 'the action',
};

class ArgsError extends Error {}

/** Words as a shell would split them, with nothing expanded. */
function split(text) {
	const words = [];
	let word = '';
	let inWord = false;
	for (let i = 0; i < text.length; i += 1) {
		const c = text[i];
		if (c === '\0') throw new ArgsError('a NUL character');
		if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
			if (inWord) words.push(word);
			word = '';
			inWord = false;
		} else if (c === '#' && !inWord) {
			while (i + 1 < text.length && text[i + 1] !== '\n') i += 1;
		} else if (c === "'") {
			const end = text.indexOf("'", i + 1);
			if (end === -1) throw new ArgsError("a ' that is never closed");
			word += text.slice(i + 1, end);
			inWord = true;
			i = end;
		} else if (c === '"') {
			let j = i + 1;
			for (; j < text.length && text[j] !== '"'; j += 1) {
				if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j += 1;
				word += text[j];
			}
			if (j >= text.length) throw new ArgsError('a " that is never closed');
			inWord = true;
			i = j;
		} else if (c === '\\') {
			if (i + 1 >= text.length) throw new ArgsError('a \\ at the end');
			i += 1;
			if (text[i] !== '\n') word += text[i];
			inWord = true;
		} else {
			word += c;
			inWord = true;
		}
	}
	if (inWord) words.push(word);
	return words;
}

/** The words of `args` COMMAND takes; notes for those left out. */
function argsFor(command, text) {
	const words = split(text);
	const out = [];
	const notes = [];
	for (let i = 0; i < words.length; i += 1) {
		const word = words[i];
		const eq = word.startsWith('--') ? word.indexOf('=') : -1;
		const name = eq === -1 ? word : word.slice(0, eq);
		if (OWN[name]) throw new ArgsError(`${name} is set by ${OWN[name]}, not through args`);
		const flag = FLAGS[name];
		if (!flag) {
			if (!word.startsWith('-')) {
				throw new ArgsError(
					`${JSON.stringify(word)} is not a flag: name spec files in the files input`
				);
			}
			throw new ArgsError(
				`${name} is not a flag the action passes on (it takes ${Object.keys(FLAGS).join(', ')})`
			);
		}
		const taken = [word];
		if (flag.value && eq === -1) {
			const value = words[i + 1];
			if (value === undefined) throw new ArgsError(`${name} needs a value`);
			taken.push(value);
			i += 1;
		} else if (!flag.value && eq !== -1) {
			throw new ArgsError(`${name} takes no value`);
		}
		if (flag.for.includes(command)) out.push(...taken);
		else
			notes.push(
				`${name} is left out of ${command === 'apply' ? 'apply of the saved plan' : command}: it is for ${flag.for.join(' and ')}`
			);
	}
	return { args: out, notes };
}

module.exports = { argsFor, split, ArgsError };

if (require.main === module) {
	const command = process.argv[2];
	if (!['plan', 'apply', 'drift'].includes(command ?? '')) {
		process.stderr.write('usage: args.cjs plan|apply|drift (the text in $ARGS)\n');
		process.exit(2);
	}
	try {
		const { args, notes } = argsFor(command, process.env.ARGS ?? '');
		for (const note of notes) process.stderr.write(`coder-sessions args: ${note}\n`);
		process.stdout.write(args.map((arg) => `${arg}\0`).join(''));
	} catch (error) {
		if (!(error instanceof ArgsError)) throw error;
		process.stderr.write(`the args input holds ${error.message}\n`);
		process.exit(1);
	}
}
