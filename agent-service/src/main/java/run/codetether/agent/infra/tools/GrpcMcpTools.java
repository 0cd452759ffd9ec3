package run.codetether.agent.infra.tools;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import run.codetether.agent.domain.mcp.McpServerSpec;
import run.codetether.agent.domain.port.McpTools;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.ListMcpToolsRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsResponse;
import run.codetether.contracts.tools.v1.McpContent;
import run.codetether.contracts.tools.v1.McpHttp;
import run.codetether.contracts.tools.v1.McpServer;
import run.codetether.contracts.tools.v1.McpStdio;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * MCP servers' tools through tools-service (ListMcpTools, CallMcpTool). A deadline a little above the call's own
 * limit bounds every request (tools-service answers a hung server itself within the limit); an interrupt cancels.
 * A spec tools-service refuses (INVALID_ARGUMENT) is a failed outcome the model reads; other statuses throw.
 *
 * <p>A call that tools-service's death cuts off is repeated under the SAME call id until tools-service is back
 * ({@link SameCallRetry}, as Execute): the restarted service answers a finished call from its result store, a call
 * that was running (its start marker) as interrupted, and runs one that never started. If it does not come back
 * within the retry time the outcome is {@link Outcome#interrupted}, never an ordinary result.
 */
public final class GrpcMcpTools implements McpTools, AutoCloseable {

    private final ManagedChannel channel;
    private final String target;
    private final SameCallRetry retry;

    public GrpcMcpTools(String host, int port) {
        this(host, port, ToolRetry.DEFAULTS);
    }

    /** @param retry how long and how often a call cut off by tools-service's death is repeated */
    public GrpcMcpTools(String host, int port, ToolRetry retry) {
        this.target = host + ":" + port;
        this.channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        this.retry = new SameCallRetry(channel, target, retry);
    }

    @Override
    public Listing list(String sessionId, List<McpServerSpec> servers, Duration timeout) throws InterruptedException {
        ListMcpToolsRequest.Builder req = ListMcpToolsRequest.newBuilder().setSessionId(sessionId)
                .setTimeoutMs(timeout.toMillis());
        servers.forEach(s -> req.addServers(toProto(s)));
        ListMcpToolsResponse r;
        try {
            r = ToolServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis() + 5_000,
                    TimeUnit.MILLISECONDS).listMcpTools(req.build());
        } catch (StatusRuntimeException e) {
            interrupted(e);
            throw new IllegalStateException("tools-service at " + target + " cannot list MCP tools: "
                    + e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                            : " " + e.getStatus().getDescription()));
        }
        List<Tool> tools = r.getToolsList().stream().map(t -> new Tool(t.getServer(), t.getName(), t.getTitle(),
                t.getDescription(), t.getInputSchemaJson(), t.hasReadOnlyHint() ? t.getReadOnlyHint() : null,
                t.hasDestructiveHint() ? t.getDestructiveHint() : null)).toList();
        List<ServerStatus> statuses = r.getServersList().stream().map(s -> new ServerStatus(s.getServer(), s.getOk(),
                s.getError())).toList();
        return new Listing(tools, statuses);
    }

    @Override
    public Outcome call(String sessionId, String callId, McpServerSpec server, String tool, String argumentsJson,
            Duration timeout) throws InterruptedException {
        CallMcpToolRequest req = CallMcpToolRequest.newBuilder().setSessionId(sessionId).setCallId(callId)
                .setServer(toProto(server)).setTool(tool).setArgumentsJson(argumentsJson)
                .setTimeoutMs(timeout.toMillis()).build();
        return retry.run(callId, server.name() + "/" + tool, () -> callOnce(req, timeout),
                o -> SameCallRetry.answered(o.interrupted(), o.replayed()), Outcome::interrupted);
    }

    private Outcome callOnce(CallMcpToolRequest req, Duration timeout)
            throws SameCallRetry.Cut, InterruptedException {
        CallMcpToolResponse r;
        try {
            r = ToolServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis() + 5_000,
                    TimeUnit.MILLISECONDS).callMcpTool(req);
        } catch (StatusRuntimeException e) {
            interrupted(e);
            SameCallRetry.throwIfCut(e);
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
                    || e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                return Outcome.failed(e.getStatus().getDescription());
            }
            throw new IllegalStateException("tools-service at " + target + ": " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
        }
        if (r.getInterrupted()) {
            return Outcome.interrupted(r.getError());
        }
        List<Content> content = new ArrayList<>();
        for (McpContent c : r.getContentList()) {
            content.add(switch (c.getKindCase()) {
                case TEXT -> new Text(c.getText());
                case IMAGE -> new Binary("image", c.getImage().getMimeType(), c.getImage().getData().toByteArray());
                case AUDIO -> new Binary("audio", c.getAudio().getMimeType(), c.getAudio().getData().toByteArray());
                case RESOURCE -> new Resource(c.getResource().getUri(), c.getResource().getMimeType(),
                        c.getResource().hasText() ? c.getResource().getText() : null,
                        c.getResource().hasBlob() ? c.getResource().getBlob().toByteArray() : null);
                case RESOURCE_LINK -> new Link(c.getResourceLink().getUri(), c.getResourceLink().getName(),
                        c.getResourceLink().getDescription(), c.getResourceLink().getMimeType());
                case KIND_NOT_SET -> new Text("");
            });
        }
        return new Outcome(r.getOk(), content, r.getStructuredContentJson(), r.getToolError(), r.getError(),
                r.getReplayed(), false);
    }

    /** The spec as tools-service takes it. */
    public static McpServer toProto(McpServerSpec s) {
        McpServer.Builder b = McpServer.newBuilder().setName(s.name());
        if (s.secret() != null) {
            b.setSecret(s.secret());
        }
        if (s.stdio()) {
            b.setStdio(McpStdio.newBuilder().setCommand(s.argv().get(0)).addAllArgs(s.argv().subList(1, s.argv().size()))
                    .putAllEnv(s.env()).addAllSecretEnv(s.secretEnv()).addAllAllowedHosts(s.allowedHosts()));
        } else {
            b.setHttp(McpHttp.newBuilder().setUrl(s.url()).putAllHeaders(s.headers())
                    .addAllSecretHeaders(s.secretHeaders()));
        }
        return b.build();
    }

    private static void interrupted(StatusRuntimeException e) throws InterruptedException {
        if (e.getStatus().getCode() == Status.Code.CANCELLED && Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("MCP call canceled");
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
