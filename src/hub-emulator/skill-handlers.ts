/** /hub/skills/library* and /hub/skills/buckets*: the caller's saved skills and skill buckets. */
import {
	CoderCreateSkillBucketRequestSchema,
	CoderSaveSkillRequestSchema,
} from '@agentuity/core/coder';
import type { Handler, HubContext } from './hub-context.js';
import type { BucketRecord, SkillRecord } from './library-record.js';
import { refuseProblems, skillProblems } from './library-references.js';
import { findRecordForWrite } from './record-access.js';
import { parseBody } from './session-requests.js';

export function skillWire(skill: SkillRecord): Record<string, unknown> {
	const { kind: _kind, org: _org, ...wire } = skill;
	return wire;
}

/** Members are read from the library each time: a deleted skill leaves its buckets. */
export function bucketWire(hub: HubContext, bucket: BucketRecord): Record<string, unknown> {
	const skills = bucket.savedSkillIds.flatMap((id) => {
		const skill = hub.store.getRecord('skill', bucket.org, id);
		return skill ? [skillWire(skill)] : [];
	});
	return {
		id: bucket.id,
		name: bucket.name,
		...(bucket.description !== undefined ? { description: bucket.description } : {}),
		createdAt: bucket.createdAt,
		updatedAt: bucket.updatedAt,
		skillCount: skills.length,
		skills,
	};
}

export const listSavedSkills: Handler = (hub, request) => ({
	status: 200,
	body: { skills: hub.store.listRecords('skill', request.org).map(skillWire) },
});

/**
 * Saving is an upsert by (source, repo, skillId): saving the same skill again updates it and
 * keeps its id. `source` defaults to `registry`.
 */
export const saveSkill: Handler = async (hub, request) => {
	const body = parseBody(CoderSaveSkillRequestSchema, await request.body());
	const source = body.source ?? 'registry';
	const existing = hub.store
		.listRecords('skill', request.org)
		.find(
			(skill) =>
				skill.source === source && skill.repo === body.repo && skill.skillId === body.skillId
		);
	const at = hub.now().toISOString();
	const skill: SkillRecord = {
		kind: 'skill',
		id: existing?.id ?? hub.newRecordId('skill'),
		org: request.org,
		createdAt: existing?.createdAt ?? at,
		updatedAt: at,
		source,
		repo: body.repo,
		skillId: body.skillId,
		name: body.name,
		...(body.description !== undefined ? { description: body.description } : {}),
		...(body.url !== undefined ? { url: body.url } : {}),
		...(body.content !== undefined ? { content: body.content } : {}),
	};
	await hub.store.putRecord(skill);
	return { status: existing ? 200 : 201, body: { skill: skillWire(skill) } };
};

export const deleteSavedSkill: Handler = async (hub, request) => {
	const skill = findRecordForWrite(hub, request, 'skill');
	await hub.store.deleteRecord('skill', skill.org, skill.id);
	return { status: 200, body: { ok: true } };
};

export const listSkillBuckets: Handler = (hub, request) => ({
	status: 200,
	body: {
		buckets: hub.store.listRecords('bucket', request.org).map((bucket) => bucketWire(hub, bucket)),
	},
});

export const createSkillBucket: Handler = async (hub, request) => {
	const body = parseBody(CoderCreateSkillBucketRequestSchema, await request.body());
	const memberIds = body.savedSkillIds ?? [];
	refuseProblems(skillProblems(hub, request.org, 'savedSkillIds', memberIds));
	const at = hub.now().toISOString();
	const bucket: BucketRecord = {
		kind: 'bucket',
		id: hub.newRecordId('bucket'),
		org: request.org,
		createdAt: at,
		updatedAt: at,
		name: body.name,
		...(body.description !== undefined ? { description: body.description } : {}),
		savedSkillIds: [...new Set(memberIds)],
	};
	await hub.store.putRecord(bucket);
	return { status: 201, body: { bucket: bucketWire(hub, bucket) } };
};

export const deleteSkillBucket: Handler = async (hub, request) => {
	const bucket = findRecordForWrite(hub, request, 'bucket');
	await hub.store.deleteRecord('bucket', bucket.org, bucket.id);
	return { status: 200, body: { ok: true } };
};
