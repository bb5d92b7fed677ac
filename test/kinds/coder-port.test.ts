/**
 * The Coder kinds build on no package but zod, so they declare the part of the SDK they use
 * (src/kinds/stores/coder-port.ts) and copy its lists of accepted values: both must stay the SDK's.
 */
import {
	CODER_CUSTOM_AGENT_SERVICE_TOOLS,
	CODER_CUSTOM_AGENT_TOOLS,
	CoderClient,
	CoderCustomAgentThinkingLevelSchema,
} from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { AGENT_SERVICE_TOOLS, AGENT_TOOLS, THINKING_LEVELS } from '../../src/kinds/agent.js';
import type { CoderPort } from '../../src/kinds/stores/coder-port.js';

describe('the SDK surface the Coder kinds declare', () => {
	it('is what the SDK client offers', () => {
		// A compile-time check (npm run typecheck): the SDK client is assignable to the port.
		const asPort = (client: CoderClient): CoderPort => client;
		expect(asPort).toBeTypeOf('function');
	});

	it("accepts the SDK's tools, service tools and thinking levels, no more, no fewer", () => {
		expect([...AGENT_TOOLS]).toEqual([...CODER_CUSTOM_AGENT_TOOLS]);
		expect([...AGENT_SERVICE_TOOLS]).toEqual([...CODER_CUSTOM_AGENT_SERVICE_TOOLS]);
		expect([...THINKING_LEVELS]).toEqual([...CoderCustomAgentThinkingLevelSchema.options]);
	});
});
