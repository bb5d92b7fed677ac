/**
 * Every Hub request has a deadline. A Hub that accepts connections but answers nothing (a
 * stopped process, a black-holed load balancer, a stuck proxy) would otherwise hold a run for as
 * long as it hangs. The breaker (breaker.ts) enforces it on every request, per Hub origin.
 */

/** How long one request may go unanswered, by default (`--request-timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
