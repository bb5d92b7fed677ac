#!/usr/bin/env node
/**
 * The walk of a plan from `carryOut` (apply, once the plan is shown) to its first Hub write: which
 * homes of src/ it passes through, in call order. Runs `apply --local --auto-approve` on the
 * example spec with a copy of dist/ in which every function records its module on entry, and
 * prints the homes the walk stays in (consecutive calls in one home are one stay), how many
 * different homes (rooms) it visits, and how often it climbs back up to a higher floor.
 *
 *   npm run build && node scripts/plan-walk.mjs [--floors core,kinds,...] [--list]
 *
 * --floors: the homes bottom-up (default: those of test/architecture/folders.test.ts).
 * --list:   print every stay, not just the summary.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const floorsArg = args.includes('--floors') ? args[args.indexOf('--floors') + 1] : undefined;
const FLOORS = (
	floorsArg ?? 'core,kinds,ownership,spec,hub,plan,apply,render,operations,cli,index'
).split(',');
const WRITE = /^(create|update|archive|delete|publish)\w*$/;

const TRACER = `
import { writeFileSync } from 'node:fs';
const calls = [];
let state = 'before';
globalThis.__walk = (module, name) => {
	if (state === 'before' && name === 'carryOut') state = 'walking';
	if (state !== 'walking') return;
	calls.push({ module, name });
	if (/^hub(-client)?[/]/.test(module) && ${WRITE}.test(name)) {
		state = 'done';
		writeFileSync(process.env.PLAN_WALK_OUT, JSON.stringify(calls));
	}
};
`;

// The copy sits where dist/ does (one level below the root), so its own relative paths
// (package.json, node_modules) resolve as dist/'s do.
const copy = mkdtempSync(join(ROOT, '.plan-walk-'));
try {
	cpSync(join(ROOT, 'dist'), copy, { recursive: true });
	for (const file of jsFiles(copy)) {
		const home = relative(copy, file).replace(/\.js$/, '');
		if (home.startsWith('hub-emulator/') || home.startsWith('bin/')) continue;
		writeFileSync(file, instrument(readFileSync(file, 'utf8'), home));
	}
	const tracer = join(copy, 'walk-tracer.mjs');
	writeFileSync(tracer, TRACER);
	const spec = join(ROOT, 'examples', 'sessions.yaml');
	const out = join(copy, 'walk.json');
	// --local keeps its state in the working directory: the copy, removed afterwards.
	const cli = join(copy, 'cli', 'main.js');
	execFileSync(
		process.execPath,
		['--import', tracer, cli, 'apply', '--local', '--auto-approve', '-f', spec],
		{
			cwd: copy,
			env: { ...process.env, PLAN_WALK_OUT: out, DOCS_API_TOKEN: 'demo-token' },
			stdio: ['ignore', 'ignore', 'inherit'],
		}
	);
	report(JSON.parse(readFileSync(out, 'utf8')));
} finally {
	rmSync(copy, { recursive: true, force: true });
}

/**
 * Each module counts once, where the walk first enters it (a loop over fields is one visit, as a
 * reader opens a file once); consecutive modules of one home are one stay.
 */
function report(calls) {
	const seen = new Set();
	const firstVisits = calls.filter((call) => !seen.has(call.module) && seen.add(call.module));
	const stays = [];
	for (const call of firstVisits) {
		const home = call.module.split('/')[0];
		if (stays.at(-1)?.home !== home) stays.push({ home, first: call });
	}
	const rooms = new Set(stays.map((stay) => stay.home));
	let climbs = 0;
	for (let i = 1; i < stays.length; i++) {
		if (FLOORS.indexOf(stays[i].home) > FLOORS.indexOf(stays[i - 1].home)) climbs += 1;
	}
	if (args.includes('--list')) {
		for (const call of firstVisits) console.log(`  ${call.module}:${call.name}`);
	}
	console.log(stays.map((stay) => stay.home).join(' -> '));
	console.log(
		`${stays.length} stays in ${rooms.size} rooms, ${climbs} climbs back up (${firstVisits.length} modules, ${calls.length} calls from carryOut to the first Hub write)`
	);
}

function jsFiles(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return jsFiles(path);
		return entry.name.endsWith('.js') ? [path] : [];
	});
}

/** Inserts `__walk(module, name)` at the start of every function body of the file. */
function instrument(text, module) {
	const source = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
	const inserts = [];
	const visit = (node) => {
		if (
			(ts.isFunctionDeclaration(node) ||
				ts.isMethodDeclaration(node) ||
				ts.isFunctionExpression(node) ||
				ts.isArrowFunction(node)) &&
			node.body &&
			ts.isBlock(node.body)
		) {
			const name = node.name?.getText(source) ?? nameOf(node, source);
			inserts.push({
				at: node.body.getStart(source) + 1,
				text: `globalThis.__walk?.(${JSON.stringify(module)}, ${JSON.stringify(name)});`,
			});
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	let out = text;
	for (const { at, text: call } of inserts.sort((a, b) => b.at - a.at)) {
		out = out.slice(0, at) + call + out.slice(at);
	}
	return out;
}

function nameOf(node, source) {
	const parent = node.parent;
	if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) {
		return parent.name.getText(source);
	}
	return '(anonymous)';
}
