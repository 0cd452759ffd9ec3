package run.codetether.agent.domain.loop;

import run.codetether.agent.domain.dispatch.CallScope;
import run.codetether.agent.domain.dispatch.Dispatched;
import run.codetether.agent.domain.dispatch.ToolDispatch;
import run.codetether.agent.domain.dispatch.ToolInvocation;

/** A dispatch kind that drives the loop itself (loop tools, sub-agents), so it needs the whole run, not a scope. */
abstract class RunDispatch implements ToolDispatch {

    @Override
    public final Dispatched dispatch(ToolInvocation call, CallScope scope) throws InterruptedException {
        // the loop is the only caller of a dispatch, and it always passes its own run
        return run(call, (RunContext) scope);
    }

    abstract Dispatched run(ToolInvocation call, RunContext cx) throws InterruptedException;
}
