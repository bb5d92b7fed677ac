/**
 * The values the SDK's create request accepts (CoderCustomAgentThinkingLevelSchema,
 * CODER_CUSTOM_AGENT_TOOLS, CODER_CUSTOM_AGENT_SERVICE_TOOLS), copied: the kinds build on no
 * package but zod. test/kinds/coder-port.test.ts compares them with the SDK's.
 */
export const THINKING_LEVELS = ['off', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export const AGENT_TOOLS = ['read', 'ls', 'find', 'grep', 'bash', 'write', 'edit'] as const;
export const AGENT_SERVICE_TOOLS = [
	'session_dashboard',
	'memory_service_search',
	'memory_service_store',
	'memory_service_get',
	'memory_service_update',
	'memory_service_delete',
	'memory_service_list',
	'memory_service_schema',
	'memory_service_facets',
	'context7_search',
	'grep_app_search',
	'web_search',
	'fetch_content',
	'product_prd_create',
	'product_prd_get',
	'product_prd_update',
	'product_prd_list',
	'product_task_comment',
	'session_todo_create',
	'session_todo_update',
	'session_todo_list',
	'session_todo_comment',
	'session_todo_attach',
	'product_generate_deck',
	'sandbox_exec',
	'loop_get_state',
	'loop_update_state',
	'coord_create_job',
	'coord_add_task',
	'coord_claim_task',
	'coord_complete_task',
	'coord_fail_task',
	'coord_list_tasks',
	'coord_job_status',
	'coord_reserve_file',
	'coord_release_file',
	'coord_provide_contract',
	'coord_check_contract',
	'coord_send_message',
	'coord_read_messages',
	'coord_heartbeat',
	'coord_spawn_workers',
] as const;

export type ThinkingLevel = (typeof THINKING_LEVELS)[number];
export type AgentTool = (typeof AGENT_TOOLS)[number];
export type AgentServiceTool = (typeof AGENT_SERVICE_TOOLS)[number];
