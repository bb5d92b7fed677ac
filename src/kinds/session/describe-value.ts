/** How a value the user wrote is named in messages: "a string", "a list", "an empty value". */
export function describeKind(value: unknown): string {
	if (value === null || value === undefined) return 'an empty value';
	if (Array.isArray(value)) return 'a list';
	switch (typeof value) {
		case 'string':
			return 'a string';
		case 'number':
			return 'a number';
		case 'boolean':
			return `${value}`;
		case 'object':
			return 'a mapping';
		default:
			return typeof value;
	}
}

/** The value itself when it is a short scalar (`"public"`, `2`, `true`), else its kind. */
export function showValue(value: unknown): string {
	if (typeof value === 'string' && value.length <= 60) return JSON.stringify(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return describeKind(value);
}
