/** Request counters for GET /_local/stats: by route name, `total`, and `fault:*` per fault injected. */
export class RequestStats {
	#counts = new Map<string, number>();

	request(route: string): void {
		this.#add(route);
		this.#add('total');
	}

	fault(kind: string): void {
		this.#add(`fault:${kind}`);
	}

	/** Anything else worth counting, under its own key. */
	note(key: string): void {
		this.#add(key);
	}

	snapshot(): Record<string, number> {
		return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
	}

	reset(): void {
		this.#counts.clear();
	}

	#add(key: string): void {
		this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
	}
}
