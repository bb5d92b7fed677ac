/** Finding library records for the handlers: other orgs' records do not exist for the caller. */
import { HttpError } from './errors.js';
import type { HubContext, RequestInfo } from './hub-context.js';
import type { LibraryKind, RecordOf, SkillRecord } from './library-record.js';

const NOT_FOUND: Record<LibraryKind, { code: string; noun: string }> = {
	workspace: { code: 'CODER_WORKSPACE_NOT_FOUND', noun: 'Workspace' },
	skill: { code: 'CODER_SKILL_NOT_FOUND', noun: 'Saved skill' },
	bucket: { code: 'CODER_SKILL_BUCKET_NOT_FOUND', noun: 'Skill bucket' },
	agent: { code: 'CODER_AGENT_NOT_FOUND', noun: 'Custom agent' },
	user: { code: 'CODER_USER_NOT_FOUND', noun: 'User' },
};

export function notFound(kind: LibraryKind, id: string): HttpError {
	const { code, noun } = NOT_FOUND[kind];
	return new HttpError(404, code, `${noun} ${id} not found`);
}

/** A durable record, as readers see it, or 404. */
export function findRecord<K extends LibraryKind>(
	hub: HubContext,
	request: RequestInfo,
	kind: K
): RecordOf<K> {
	const record = hub.store.getRecord(kind, request.org, request.id);
	if (!record) throw notFound(kind, request.id);
	return record;
}

/** The newest accepted state of a record, for a write to build on, or 404. */
export function findRecordForWrite<K extends LibraryKind>(
	hub: HubContext,
	request: RequestInfo,
	kind: K
): RecordOf<K> {
	const record = hub.store.latestRecord(kind, request.org, request.id);
	if (!record) throw notFound(kind, request.id);
	return record;
}

/** Saved skills by id, in the order given; an unknown id is a 400 naming it. */
export function savedSkills(
	hub: HubContext,
	org: string,
	ids: readonly string[],
	field: string
): SkillRecord[] {
	return ids.map((id) => {
		const skill = hub.store.latestRecord('skill', org, id);
		if (!skill) {
			throw new HttpError(
				400,
				'CODER_INVALID_REQUEST',
				`${field}: no saved skill ${id} in the library`
			);
		}
		return skill;
	});
}

/** The empty body of a bodiless POST reads as undefined; schemas want an object. */
export async function bodyObject(request: RequestInfo): Promise<unknown> {
	const raw = await request.body();
	return raw === undefined ? {} : raw;
}
