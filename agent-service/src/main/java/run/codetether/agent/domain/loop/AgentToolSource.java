package run.codetether.agent.domain.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.agent.domain.dispatch.AgentToolDispatch;
import run.codetether.agent.domain.dispatch.AgentTools;
import run.codetether.agent.domain.dispatch.CallScope;
import run.codetether.agent.domain.dispatch.OfferedTool;
import run.codetether.agent.domain.dispatch.QuestionDispatch;
import run.codetether.agent.domain.dispatch.ToolDispatch;
import run.codetether.agent.domain.dispatch.ToolSource;
import run.codetether.agent.domain.model.ToolSpec;

/**
 * The agent's own tools (question, todo, plan, skill, task) and the loop tools (rlm, ralph, prd, swarm). A sub-agent
 * gets no {@code task} (no nested sub-agents) and only the loop tools offered to sub-agents. Immutable.
 */
final class AgentToolSource implements ToolSource {
    private final List<OfferedTool> top;
    private final List<OfferedTool> nested;

    AgentToolSource(AgentTools agentTools, Map<String, LoopTool> loopTools) {
        ToolDispatch local = new AgentToolDispatch(agentTools);
        List<OfferedTool> t = new ArrayList<>();
        List<OfferedTool> n = new ArrayList<>();
        for (ToolSpec spec : AgentTools.SPECS) {
            OfferedTool offered = switch (spec.name()) {
                case AgentTools.QUESTION -> OfferedTool.of(spec, new QuestionDispatch());
                case AgentTools.TASK -> OfferedTool.of(spec, new SubAgentDispatch());
                default -> OfferedTool.of(spec, local);
            };
            t.add(offered);
            if (!spec.name().equals(AgentTools.TASK)) {
                n.add(offered);
            }
        }
        for (LoopTool tool : loopTools.values()) {
            OfferedTool offered = OfferedTool.of(tool.spec(), new LoopToolDispatch(tool));
            t.add(offered);
            if (tool.offeredToSubAgents()) {
                n.add(offered);
            }
        }
        this.top = List.copyOf(t);
        this.nested = List.copyOf(n);
    }

    @Override
    public List<OfferedTool> offered(int depth, CallScope run) {
        return depth == 0 ? top : nested;
    }
}
