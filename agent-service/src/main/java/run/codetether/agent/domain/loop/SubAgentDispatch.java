package run.codetether.agent.domain.loop;

import run.codetether.agent.domain.dispatch.Dispatched;
import run.codetether.agent.domain.dispatch.ToolInvocation;

/** {@code task}: a sub-agent on the call's prompt; its answer is the result (saved before going on). */
final class SubAgentDispatch extends RunDispatch {

    @Override
    Dispatched run(ToolInvocation call, RunContext cx) throws InterruptedException {
        LoopAccess.SubAgentResult r = cx.parts.subAgents().run(cx, call.id(), call.text("prompt"));
        return Dispatched.Answered.inSession(r.completed() ? r.text() : "Sub-agent did not complete: " + r.text(), false);
    }
}
