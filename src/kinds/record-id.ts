/**
 * How a reference list tells the id of an existing record from the key of a declared entry. The
 * Hub's ids are a lowercase prefix, `_`, and a random part: the local Hub's are `skill_`,
 * `skbkt_`, `hagent_` or `ws_` and 12 hex characters. A value reads as an id when it has that
 * shape and its random part (8 or more lowercase letters and digits) holds a digit, so keys such
 * as `style_guide` or `docs_reviewer` never do. A declared key wins over an id spelled the same.
 */
const RECORD_ID = /^[a-z]+_([0-9a-z]{8,})$/;

export function looksLikeRecordId(value: string): boolean {
	const random = RECORD_ID.exec(value)?.[1];
	return random !== undefined && /[0-9]/.test(random);
}
