// Plans examples/library/sessions.yaml against a Hub and applies it, from a script.
// It starts a throwaway local Hub; for your org's Hub, call connectHub({ region, org })
// with AGENTUITY_SDK_KEY set (or connectHub({ url })) instead.
import { apply, connectHub, loadSpec, plan, renderPlan, startLocalHub } from 'coder-sessions';

const local = await startLocalHub();
const hub = await connectHub({ url: local.url });
try {
	const spec = await loadSpec(['examples/library/sessions.yaml']);
	const planned = await plan(spec, hub, { onWarning: (note) => console.error(note) });
	console.log(renderPlan(planned));

	if (planned.refusal.length > 0) throw new Error(`refused: ${planned.refusal.join('; ')}`);
	const outcome = await apply(planned, hub, {
		onEvent: (event) => {
			if (event.type === 'finish')
				console.log(`${event.outcome.status} ${event.outcome.action.key}`);
		},
	});
	if (outcome.status === 'applied' && !outcome.succeeded) process.exitCode = 5;

	// Planned again, the Hub matches the spec: nothing left to do.
	const again = await plan(spec, hub);
	console.log(renderPlan(again));
} finally {
	await hub.close();
	await local.close();
}
