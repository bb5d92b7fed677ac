/**
 * The stack's search token: a term that only its sessions' ownership metadata holds, whatever the
 * stack is called. A search for the stack's name also finds every task that names the stack,
 * which tells nothing about whether the search reads metadata; a hit on the token can only be a
 * metadata match (hub/discovery/search-read.ts).
 *
 * Derived from the stack's name alone, so every run and every machine agrees without a state
 * file. The hash is keyed so the token is not the plain digest of the name that anyone might
 * write; it is no secret. One lowercase alphanumeric word: found the same under substring or
 * word matching, with or without case.
 */
import { createHmac } from 'node:crypto';

const TOKEN_KEY = 'coder-sessions/search-token/v1';

/** Every create and update of a run writes its stack's token: each is worked out once. */
const tokens = new Map<string, string>();

export function stackToken(stack: string): string {
	let token = tokens.get(stack);
	if (token === undefined) {
		token = `cs${createHmac('sha256', TOKEN_KEY).update(stack).digest('hex').slice(0, 20)}`;
		tokens.set(stack, token);
	}
	return token;
}
