package run.codetether.agent.domain.mcp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import run.codetether.agent.domain.dispatch.Blocking;
import run.codetether.agent.domain.dispatch.CallScope;
import run.codetether.agent.domain.dispatch.Dispatched;
import run.codetether.agent.domain.dispatch.RemoteToolDispatch;
import run.codetether.agent.domain.dispatch.ToolDispatch;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.dispatch.WorkspaceCall;
import run.codetether.agent.domain.model.ImagePart;
import run.codetether.agent.domain.port.McpTools;
import run.codetether.contracts.events.Progress;

/**
 * An MCP tool call ({@code mcp__<server>__<tool>}): CallMcpTool in the task's session under its wire call id, so a
 * repeat is answered from tools-service's idempotency store and never reaches the server twice (replayable). The
 * server's answer reaches the model as text: text blocks as they are, embedded text resources with their URI, and
 * one line for each image, audio, blob or link; images (image content, image blobs) also go with the result as
 * image parts, which a vision model is sent (see docs/mcp.md). A call that did
 * not complete (the server or tools-service died while it ran) reaches the model as {@code INTERRUPTED: ...} and is
 * recorded on the task, which then cannot end COMPLETED on its account, as a built-in tool's call.
 */
public final class McpToolDispatch implements ToolDispatch {

    private final McpTools tools;
    private final McpServerSpec server;
    private final String tool;

    public McpToolDispatch(McpTools tools, McpServerSpec server, String tool) {
        this.tools = tools;
        this.server = server;
        this.tool = tool;
    }

    public McpServerSpec server() {
        return server;
    }

    public String tool() {
        return tool;
    }

    @Override
    public Dispatched dispatch(ToolInvocation call, CallScope scope) throws InterruptedException {
        scope.progress(null, Progress.step(scope.task().steps).withTool(call.name(), call.id()),
                run.codetether.agent.domain.dispatch.ShownArguments.of(call));
        java.util.Optional<String> unusable = scope.useWorkspace(true); // the server runs in the workspace
        if (unusable.isPresent()) {
            return new Dispatched.Answered("Error: " + unusable.get(), true, true);
        }
        McpTools.Outcome out;
        try {
            out = Blocking.call(() -> tools.call(scope.workspaceId(), scope.wireCallId(call.id()), server, tool,
                    call.arguments().toString(), scope.toolTimeout()), RuntimeException.class);
        } catch (RuntimeException e) {
            scope.checkStop();
            return new Dispatched.Answered("Error: tools-service call failed: " + e.getMessage(), true, true);
        }
        WorkspaceCall.recordInterruption(scope, call.id(), call.name() + " " + call.arguments(), out.interrupted(),
                out.ok());
        if (out.interrupted()) {
            return new Dispatched.Answered(RemoteToolDispatch.interrupted(out.error()), true, true);
        }
        if (!out.ok() && !out.toolError()) {
            return new Dispatched.Answered("Error: " + out.error(), true, true);
        }
        String text = render(out.content(), out.structuredJson());
        return new Dispatched.Answered(out.toolError() ? "Error: the MCP tool " + server.name() + "/" + tool
                + " reported an error:\n" + text : text, out.toolError(), true, images(out.content()));
    }

    /**
     * The images of an answer (image content, and embedded resources whose blob is an image) that a vision model can
     * be sent: a known type within the size limit. The text rendering names every one, sent or not.
     */
    static List<ImagePart> images(List<McpTools.Content> content) {
        List<ImagePart> out = new ArrayList<>();
        for (McpTools.Content c : content) {
            switch (c) {
                case McpTools.Binary bin when bin.kind().equals("image")
                        && ImagePart.sendable(bin.mimeType(), bin.data().length) ->
                    out.add(new ImagePart(bin.mimeType(), Base64.getEncoder().encodeToString(bin.data())));
                case McpTools.Resource r when r.text() == null && r.blob() != null
                        && ImagePart.sendable(r.mimeType(), r.blob().length) ->
                    out.add(new ImagePart(r.mimeType(), Base64.getEncoder().encodeToString(r.blob())));
                default -> {
                    // text, audio, links and other blobs reach the model as text only
                }
            }
        }
        return out;
    }

    /** The answer as the model reads it. */
    static String render(List<McpTools.Content> content, String structuredJson) {
        StringBuilder b = new StringBuilder();
        boolean anyText = false;
        for (McpTools.Content c : content) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            switch (c) {
                case McpTools.Text t -> {
                    b.append(t.text());
                    anyText = true;
                }
                case McpTools.Binary bin -> b.append('[').append(bin.kind()).append(' ').append(bin.mimeType())
                        .append(", ").append(bin.data().length).append(" bytes]");
                case McpTools.Resource r when r.text() != null -> {
                    b.append("[resource ").append(r.uri()).append(r.mimeType() == null || r.mimeType().isEmpty() ? ""
                            : " (" + r.mimeType() + ")").append("]\n").append(r.text());
                    anyText = true;
                }
                case McpTools.Resource r -> b.append("[resource ").append(r.uri()).append(" (").append(r.mimeType())
                        .append("), ").append(r.blob() == null ? 0 : r.blob().length).append(" bytes]");
                case McpTools.Link l -> b.append("[resource link ").append(l.uri())
                        .append(l.name() == null || l.name().isEmpty() ? "" : ": " + l.name())
                        .append(l.description() == null || l.description().isEmpty() ? "" : " - " + l.description())
                        .append(']');
            }
        }
        if (!anyText && structuredJson != null && !structuredJson.isEmpty()) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(structuredJson);
        }
        return b.isEmpty() ? "(the tool returned no content)" : b.toString();
    }
}
