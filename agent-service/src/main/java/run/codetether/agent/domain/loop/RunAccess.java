package run.codetether.agent.domain.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.dispatch.Blocking;
import run.codetether.agent.domain.dispatch.OfferedTool;
import run.codetether.agent.domain.dispatch.WorkspaceCall;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.agent.domain.session.Session;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.Progress;
import run.codetether.platform.json.Json;

/**
 * The running task as a loop tool sees it, during one of its calls (or its skill run): progress it reports is about
 * that tool and call.
 */
final class RunAccess implements LoopAccess {
    private static final ObjectMapper JSON = Json.mapper();
    private final RunContext cx;
    private final String tool;
    private final String callId;

    /** @param callId the loop tool's call, or null for a skill run or an output filter */
    RunAccess(RunContext cx, String tool, String callId) {
        this.cx = cx;
        this.tool = tool;
        this.callId = callId;
    }

    @Override
    public String taskId() {
        return cx.task.taskId;
    }

    @Override
    public String contextId() {
        return cx.session.contextId;
    }

    @Override
    public String workspaceId() {
        return cx.workspaceId;
    }

    @Override
    public Session session() {
        return cx.session;
    }

    @Override
    public ProviderResolver.Resolved model() {
        return cx.model;
    }

    @Override
    public AgentSettings settings() {
        return cx.parts.settings();
    }

    @Override
    public ModelReply chat(ModelRequest request) throws ProviderException, InterruptedException {
        cx.checkStop();
        return MeteredChat.chat(cx, request, Map.of()).reply();
    }

    @Override
    public ToolExecutor.Outcome tool(String callKey, String name, String argumentsJson) throws InterruptedException {
        cx.checkStop();
        String id = "loop:" + cx.task.taskId + ":" + callKey;
        OfferedTool offered = cx.catalog.find(name).orElse(null);
        JsonNode args;
        try {
            args = JSON.readTree(argumentsJson);
        } catch (Exception e) {
            args = JSON.createObjectNode(); // tools-service refuses it with the reason
        }
        return cx.parts.workspace().run(cx, id, name, argumentsJson, args, offered != null && offered.readOnly(),
                WorkspaceCall.liveOutput(offered, cx, id));
    }

    @Override
    public boolean preparedWorkspace() {
        return cx.workspaceNote() != null;
    }

    @Override
    public Optional<Workspaces.Committed> commit(String message) throws Workspaces.Failure, InterruptedException {
        cx.checkStop();
        if (cx.workspaceNote() == null) {
            return Optional.empty();
        }
        Optional<String> unusable = cx.useWorkspace(true);
        if (unusable.isPresent()) {
            throw new Workspaces.Failure(Workspaces.Failure.Kind.UNAVAILABLE, unusable.get());
        }
        if (cx.workspaceNote() == null) {
            return Optional.empty(); // tools-service has no workspace RPCs after all
        }
        Workspaces ws = cx.parts.workspaces();
        return Optional.of(Blocking.call(() -> ws.commit(cx.workspaceId, message, cx.parts.workspaceSettings().author()),
                Workspaces.Failure.class));
    }

    @Override
    public SubAgentResult subAgent(String key, String prompt) throws InterruptedException {
        cx.checkStop();
        return cx.parts.subAgents().run(cx, key, prompt);
    }

    @Override
    public void progress(String text, Map<String, Object> details) {
        cx.parts.reporter().status(cx, TaskState.WORKING, text,
                Progress.step(cx.task.steps).withTool(tool, callId), details);
    }

    @Override
    public void checkStop() {
        cx.checkStop();
    }

    @Override
    public boolean canceled() {
        return cx.run.canceled();
    }
}
