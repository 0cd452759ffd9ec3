package run.codetether.gateway.api.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkiverse.mcp.server.Progress;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.api.worker.WorkersResource;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.handler.A2ARequestHandler;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.TaskQuery;
import run.codetether.gateway.domain.handler.TaskRef;
import run.codetether.gateway.domain.worker.WorkerDirectory;

/**
 * The platform as MCP tools (docs/mcp.md): what an IDE or another agent needs to hand CodeTether a coding task and
 * follow it. Every tool goes through the same request handler as A2A, so admission, tenancy and limits are the
 * same (a tenant the key is not bound to is a PERMISSION_DENIED tool error, another key's task TASK_NOT_FOUND); a
 * refusal is an MCP tool error carrying the A2A reason.
 */
@Singleton
public class CodetetherMcpTools {
    @Inject
    A2ARequestHandler handler;

    @Inject
    WorkerDirectory workers;

    @Inject
    CurrentVertxRequest request;

    @Tool(name = "codetether_run", description = "Run a coding task on CodeTether and wait for its end: the agent plans, "
            + "calls models, edits files and runs commands in a sandbox. Returns the answer, and the change (a "
            + "unified diff) when files changed. Sends progress notifications while it runs.")
    ToolResponse run(@ToolArg(description = "What to do") String prompt,
            @ToolArg(description = "Skill: swarm or ralph; empty for a plain task", required = false) String skill,
            @ToolArg(description = "Provider, e.g. anthropic, openai, local", required = false) String provider,
            @ToolArg(description = "Model of that provider", required = false) String model,
            @ToolArg(description = "Workspace as JSON, e.g. {\"git\":{\"url\":\"https://...\",\"ref\":\"main\"}} or "
                    + "{\"codebase\":\"app\"}", required = false) String workspace,
            @ToolArg(description = "Context id to continue a conversation", required = false) String contextId,
            @ToolArg(description = "Tenant to run in, one the API key is bound to; empty: the key's default tenant",
                    required = false) String tenant,
            Progress progress) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        putIfSet(metadata, "skill", skill);
        putIfSet(metadata, "provider", provider);
        putIfSet(metadata, "model", model);
        Map<String, Object> messageMetadata = new LinkedHashMap<>();
        if (workspace != null && !workspace.isBlank()) {
            messageMetadata.put("workspace", parseObject(workspace));
        }
        Message message = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of(prompt)),
                contextId == null || contextId.isBlank() ? null : contextId, null, null, null, messageMetadata);
        SendRequest send = new SendRequest(message, blankToNull(tenant), null, false, List.of(), null, metadata);
        McpProgressSink sink = new McpProgressSink(progress);
        CallContext context = context();
        await(handler.sendStreamingMessage(send, context, sink));
        String taskId = sink.awaitEnd();
        Task task = await(handler.getTask(new TaskQuery(taskId, 0, null), context));
        return answer(task);
    }

    @Tool(name = "codetether_get_task", description = "A task as A2A 1.0 JSON: state, status message, artifacts.")
    String getTask(@ToolArg(description = "Task id") String taskId,
            @ToolArg(description = "How many history messages to include", required = false) Integer historyLength) {
        Task task = await(handler.getTask(new TaskQuery(taskId, historyLength == null ? 0 : historyLength, null),
                context()));
        return json(V10Encoder.task(task));
    }

    @Tool(name = "codetether_list_tasks", description = "The caller's tasks, newest first (one page).")
    String listTasks(@ToolArg(description = "Only this context", required = false) String contextId,
            @ToolArg(description = "Only this state, e.g. TASK_STATE_WORKING", required = false) String state,
            @ToolArg(description = "Page size, 1-100 (default 20)", required = false) Integer pageSize,
            @ToolArg(description = "Page token from the previous page", required = false) String pageToken,
            @ToolArg(description = "Only this tenant (one the API key is bound to); empty: all of the key's",
                    required = false) String tenant) {
        TaskState filter = state == null || state.isBlank() ? null : McpProgressSink.state(state);
        var page = await(handler.listTasks(new ListQuery(blankToNull(tenant), blankToNull(contextId), filter,
                pageSize == null ? 20 : pageSize, blankToNull(pageToken), 0, null, false), context()));
        ObjectNode out = WireJson.MAPPER.createObjectNode();
        ArrayNode tasks = out.putArray("tasks");
        page.tasks().forEach(t -> tasks.add(V10Encoder.task(t)));
        out.put("nextPageToken", page.nextPageToken() == null ? "" : page.nextPageToken());
        out.put("totalSize", page.totalSize());
        return json(out);
    }

    @Tool(name = "codetether_cancel_task", description = "Cancel a task that is still running.")
    String cancelTask(@ToolArg(description = "Task id") String taskId) {
        return json(V10Encoder.task(await(handler.cancelTask(new TaskRef(taskId, null), context()))));
    }

    @Tool(name = "codetether_list_codebases", description = "The codebases of the caller's connected workers "
            + "(codetether worker); name one in codetether_run's workspace as {\"codebase\":\"<name>\"}.")
    String listCodebases() {
        Caller caller = request.getCurrent().get(McpAccess.CALLER);
        return json(Map.of("codebases", WorkersResource.WorkerViews.codebases(workers, caller.clientId())));
    }

    private static ToolResponse answer(Task task) {
        List<TextContent> content = new ArrayList<>();
        String text = task.status().message() == null ? "" : task.status().message().text();
        content.add(new TextContent("Task " + task.id() + " (context " + task.contextId() + ") ended "
                + task.status().state().name() + (text.isBlank() ? "." : ":\n\n" + text)));
        for (Artifact a : task.artifacts()) {
            if ("changes".equals(a.name())) {
                for (Part p : a.parts()) {
                    if (p instanceof Part.Text t) {
                        content.add(new TextContent(t.text()));
                    }
                }
            }
        }
        return new ToolResponse(task.status().state() != TaskState.COMPLETED, content);
    }

    private CallContext context() {
        var ctx = request.getCurrent();
        if (ctx == null) {
            throw new ToolCallException("no HTTP request for this MCP call");
        }
        var r = ctx.request();
        return CallContext.of(r.getHeader("Authorization"), r.getHeader("X-API-Key"),
                r.remoteAddress() == null ? "unknown" : r.remoteAddress().host());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw refusal(e.getCause());
        } catch (A2AException e) {
            throw refusal(e);
        }
    }

    static ToolCallException refusal(Throwable cause) {
        if (cause instanceof A2AException e) {
            return new ToolCallException(e.error().reason() + ": " + e.getMessage());
        }
        return new ToolCallException("internal error: " + cause);
    }

    private static Object parseObject(String json) {
        try {
            return WireJson.MAPPER.readValue(json, Map.class);
        } catch (Exception e) {
            throw new ToolCallException("workspace must be a JSON object: " + e.getMessage());
        }
    }

    private static String json(Object value) {
        try {
            return WireJson.MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new ToolCallException("cannot encode the result: " + e.getMessage());
        }
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
