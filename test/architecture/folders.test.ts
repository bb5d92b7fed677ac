/**
 * The layering of src/: each home is a floor that imports only the floors beneath it, so the
 * homes read bottom-up as the flow (what a spec says, what the Hub holds, the plan between them,
 * carrying it out, showing it, the operations and the CLI that run it); the local Hub stands
 * beside them. The pure core does no IO, crypto or randomness. An import that climbs a floor or
 * closes a cycle is named, so the fix is where it says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** The top-level unit a file belongs to: its folder under src/, or the file itself at the root. */
function unitOf(file: string): string {
	const [first, ...rest] = relative(SRC, file).split('/');
	return rest.length === 0 ? first!.replace(/\.ts$/, '') : first!;
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm;

interface Edge {
	readonly from: string;
	readonly to: string;
	readonly file: string;
}

function importsOf(file: string): string[] {
	return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => match[1]!);
}

function folderEdges(): Edge[] {
	const edges: Edge[] = [];
	for (const file of sourceFiles(SRC)) {
		for (const specifier of importsOf(file)) {
			if (!specifier.startsWith('.')) continue;
			const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
			const from = unitOf(file);
			const to = unitOf(target);
			if (from !== to) edges.push({ from, to, file: relative(SRC, file) });
		}
	}
	return edges;
}

/** Strongly connected components with more than one unit (Tarjan). */
function cycles(edges: readonly Edge[]): string[][] {
	const next = new Map<string, Set<string>>();
	for (const { from, to } of edges) {
		if (!next.has(from)) next.set(from, new Set());
		if (!next.has(to)) next.set(to, new Set());
		next.get(from)!.add(to);
	}
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (unit: string): void => {
		index.set(unit, counter);
		low.set(unit, counter);
		counter += 1;
		stack.push(unit);
		onStack.add(unit);
		for (const target of next.get(unit) ?? []) {
			if (!index.has(target)) {
				visit(target);
				low.set(unit, Math.min(low.get(unit)!, low.get(target)!));
			} else if (onStack.has(target)) {
				low.set(unit, Math.min(low.get(unit)!, index.get(target)!));
			}
		}
		if (low.get(unit) === index.get(unit)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== unit);
			if (component.length > 1) found.push(component.sort());
		}
	};
	for (const unit of next.keys()) if (!index.has(unit)) visit(unit);
	return found;
}

/** The homes of src/, bottom floor first; `index` (the library's front) stands on all of them. */
const FLOORS = [
	'core',
	'kinds',
	'ownership',
	'spec',
	'hub',
	'plan',
	'apply',
	'render',
	'operations',
	'cli',
	'index',
] as const;
/** Beside the floors: the local Hub, a Hub of its own that needs only the core's errors. */
const BESIDE = 'hub-emulator';
/** Who may start the local Hub: the commands that embed it (`--local`, `hub`) and the library. */
const EMBEDDERS = ['operations', 'cli', 'index'];

/** Imports that go up a floor, or between the local Hub and anything but the core. */
function climbing(edges: readonly Edge[]): string[] {
	return edges
		.filter(({ from, to }) => {
			if (from === BESIDE) return to !== 'core';
			if (to === BESIDE) return !EMBEDDERS.includes(from);
			const below = FLOORS.indexOf(to as (typeof FLOORS)[number]);
			const above = FLOORS.indexOf(from as (typeof FLOORS)[number]);
			return below < 0 || above < 0 || below >= above;
		})
		.map(({ from, to, file }) => `${file}: ${from} -> ${to}`);
}

describe('the homes of src/', () => {
	it('are the floors of the flow and the local Hub beside them, nothing else', () => {
		const homes = readdirSync(SRC, { withFileTypes: true }).map((entry) =>
			entry.isDirectory() ? entry.name : entry.name.replace(/\.ts$/, '')
		);
		expect(homes.sort()).toEqual([...FLOORS, BESIDE].sort());
	});

	it('import only the floors beneath them', () => {
		expect(climbing(folderEdges())).toEqual([]);
	});

	it('name an import that climbs a floor (the check itself)', () => {
		expect(
			climbing([
				{ from: 'plan', to: 'hub', file: 'plan/a.ts' },
				{ from: 'hub', to: 'plan', file: 'hub/b.ts' },
				{ from: 'render', to: 'render', file: 'render/c.ts' },
				{ from: 'hub-emulator', to: 'session', file: 'hub-emulator/d.ts' },
				{ from: 'apply', to: 'hub-emulator', file: 'apply/e.ts' },
				{ from: 'cli', to: 'hub-emulator', file: 'cli/f.ts' },
			])
		).toEqual([
			'hub/b.ts: hub -> plan',
			'render/c.ts: render -> render',
			'hub-emulator/d.ts: hub-emulator -> session',
			'apply/e.ts: apply -> hub-emulator',
		]);
	});

	it('import one another without a cycle', () => {
		const edges = folderEdges();
		const report = cycles(edges).map((component) => {
			const inside = edges.filter(
				(edge) => component.includes(edge.from) && component.includes(edge.to)
			);
			const lines = [
				...new Set(inside.map((edge) => `  ${edge.from} -> ${edge.to} (${edge.file})`)),
			];
			return [`cycle between ${component.join(', ')}:`, ...lines].join('\n');
		});
		expect(report.join('\n')).toBe('');
	});

	it('finds a cycle when there is one', () => {
		const edges: Edge[] = [
			{ from: 'plan', to: 'hub', file: 'plan/a.ts' },
			{ from: 'hub', to: 'ownership', file: 'hub/b.ts' },
			{ from: 'ownership', to: 'plan', file: 'ownership/c.ts' },
			{ from: 'apply', to: 'plan', file: 'apply/d.ts' },
		];
		expect(cycles(edges)).toEqual([['hub', 'ownership', 'plan']]);
	});

	it('keep the pure core free of IO, crypto and randomness', () => {
		const pure = ['kinds', 'spec', 'plan', 'render'];
		// The spec's one door to the file system: it reads the file, the rest parses text.
		const shell = ['spec/load.ts'];
		const offenders = sourceFiles(SRC)
			.filter((file) => pure.includes(unitOf(file)) && !shell.includes(relative(SRC, file)))
			.flatMap((file) => {
				const text = readFileSync(file, 'utf8');
				const bad = importsOf(file).filter((specifier) =>
					/^node:(crypto|fs|fs\/promises|child_process|net|http|https)$/.test(specifier)
				);
				if (/\bMath\.random\(/.test(text)) bad.push('Math.random');
				return bad.map((what) => `${relative(SRC, file)}: ${what}`);
			});
		expect(offenders).toEqual([]);
	});

	it('leave the emulator independent of the tool it serves', () => {
		const reaching = folderEdges().filter(
			(edge) => edge.from === 'hub-emulator' && edge.to !== 'core'
		);
		expect(reaching).toEqual([]);
	});
});
