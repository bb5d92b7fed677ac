import type { Visibility } from './desired.js';

/** The SDK's aliases (`normalizeVisibility` in @agentuity/core): case-insensitive, trimmed. */
const VISIBILITY_ALIASES: Readonly<Record<string, Visibility>> = {
	private: 'private',
	org: 'organization',
	organization: 'organization',
	collab: 'collaborate',
	collaborate: 'collaborate',
};

export const VISIBILITY_INPUTS = Object.keys(VISIBILITY_ALIASES);

export function isVisibilityInput(input: string): boolean {
	return Object.hasOwn(VISIBILITY_ALIASES, input.trim().toLowerCase());
}

/** The canonical value for an input the schema accepted; undefined for anything else. */
export function normalizeVisibility(input: string): Visibility | undefined {
	const key = input.trim().toLowerCase();
	return Object.hasOwn(VISIBILITY_ALIASES, key) ? VISIBILITY_ALIASES[key] : undefined;
}
