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
        // a loop tool may edit the workspace itself or through others (sub-agents, a swarm's subtasks run in it)
        java.util.Optional<String> unusable = cx.useWorkspace(true);
        if (unusable.isPresent()) {
            return Dispatched.Answered.inSession("Error: " + unusable.get(), true);
        }
        LoopTool.Result r = tool.run(call, new RunAccess(cx, call.name(), call.id()));
        return Dispatched.Answered.inSession(r.content(), r.error());
    }
}
