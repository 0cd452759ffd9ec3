package run.codetether.agent.domain.loop;

import run.codetether.agent.domain.dispatch.Dispatched;
import run.codetether.agent.domain.dispatch.ToolInvocation;

/** A loop tool (rlm, ralph, prd, swarm) with access to the running task; its result is saved before going on. */
final class LoopToolDispatch extends RunDispatch {
    private final LoopTool tool;

    LoopToolDispatch(LoopTool tool) {
        this.tool = tool;
    }

    @Override
    Dispatched run(ToolInvocation call, RunContext cx) throws InterruptedException {
        LoopTool.Result r = tool.run(call, new RunAccess(cx, call.name(), call.id()));
        return Dispatched.Answered.inSession(r.content(), r.error());
    }
}
