package run.codetether.agent.domain.dispatch;

/** The agent's own todo, plan and skill tools: they change the session, so their result is saved before going on. */
public final class AgentToolDispatch implements ToolDispatch {
    private final AgentTools tools;

    public AgentToolDispatch(AgentTools tools) {
        this.tools = tools;
    }

    @Override
    public Dispatched dispatch(ToolInvocation call, CallScope scope) {
        AgentTools.Result r = tools.run(call.name(), call.arguments(), scope.session());
        return Dispatched.Answered.inSession(r.content(), r.error());
    }
}
