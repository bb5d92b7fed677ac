/** Edit distance where swapping two neighbours counts once ("lable" is one step from "label"). */
export function editDistance(a: string, b: string): number {
	// Three rolling rows of the optimal-string-alignment table.
	let before = new Array<number>(b.length + 1).fill(0);
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	let current = new Array<number>(b.length + 1).fill(0);
	for (let i = 1; i <= a.length; i++) {
		current[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, before[j - 2]! + 1);
			}
			current[j] = best;
		}
		[before, previous, current] = [previous, current, before];
	}
	return previous[b.length]!;
}

/** The closest candidate, ignoring case, when it is close enough to be a plausible typo. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
	const limit = Math.max(1, Math.floor(input.length / 3));
	const wanted = input.toLowerCase();
	let best: { candidate: string; distance: number } | undefined;
	for (const candidate of candidates) {
		if (Math.abs(candidate.length - input.length) > limit) continue;
		const distance = editDistance(wanted, candidate.toLowerCase());
		if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
	}
	return best?.candidate;
}
