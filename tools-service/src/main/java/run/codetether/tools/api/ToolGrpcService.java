package run.codetether.tools.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.CloseSessionRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsResponse;
import run.codetether.contracts.tools.v1.CloseSessionResponse;
import run.codetether.contracts.tools.v1.CommitChangesRequest;
import run.codetether.contracts.tools.v1.CommitChangesResponse;
import run.codetether.contracts.tools.v1.GetChangesRequest;
import run.codetether.contracts.tools.v1.GetChangesResponse;
import run.codetether.contracts.tools.v1.ListEgressRequest;
import run.codetether.contracts.tools.v1.ListEgressResponse;
import run.codetether.contracts.tools.v1.PrepareWorkspaceRequest;
import run.codetether.contracts.tools.v1.PreviewResponse;
import run.codetether.contracts.tools.v1.PrepareWorkspaceResponse;
import run.codetether.contracts.tools.v1.PushChangesRequest;
import run.codetether.contracts.tools.v1.PushChangesResponse;
import run.codetether.contracts.tools.v1.StageArchiveRequest;
import run.codetether.contracts.tools.v1.StageArchiveResponse;
import run.codetether.contracts.tools.v1.ExecuteChunk;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ListToolsRequest;
import run.codetether.contracts.tools.v1.ListToolsResponse;
import run.codetether.contracts.tools.v1.ToolService;
import run.codetether.contracts.tools.v1.ToolSpec;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ResultStore;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolExecutor;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.egress.EgressRecorder;
import run.codetether.tools.domain.egress.EgressSessions;
import run.codetether.tools.domain.git.ArchiveStage;
import run.codetether.tools.domain.git.WorkspaceService;
import run.codetether.tools.domain.mcp.McpService;
import run.codetether.tools.domain.tool.Tool;

/**
 * gRPC ToolService. Calls run on virtual threads (a bash call may take minutes; the event loop never blocks).
 * A bad envelope (session id, call id, tool name) is an INVALID_ARGUMENT status; anything a tool refuses is an
 * ExecuteResponse with ok=false and an error the model can act on.
 */
@GrpcService
public class ToolGrpcService implements ToolService {

    private static final Logger LOG = Logger.getLogger(ToolGrpcService.class);

    private final ToolExecutor executor;
    private final SessionRegistry sessions;
    private final ResultStore store;
    private final ObjectMapper json;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final WorkspaceRpc workspaceRpc;
    private final WorkspaceService workspaces;
    private final EgressSessions egressProxy;
    private final EgressRecorder egress;
    private final ArchiveStage stage;
    private final McpService mcp;
    private final McpRpc mcpRpc;

    public ToolGrpcService(ToolExecutor executor, SessionRegistry sessions, ObjectMapper json, WorkspaceService workspaces,
            EgressSessions egressProxy, EgressRecorder egress, ArchiveStage stage, McpService mcp) {
        this.mcp = mcp;
        this.mcpRpc = new McpRpc(mcp);
        this.workspaces = workspaces;
        this.egressProxy = egressProxy;
        this.egress = egress;
        this.stage = stage;
        this.workspaceRpc = new WorkspaceRpc(workspaces, egress, stage);
        this.executor = executor;
        this.sessions = sessions;
        this.store = executor.store();
        this.json = json;
    }

    @Override
    public Uni<ListToolsResponse> list(ListToolsRequest request) {
        var b = ListToolsResponse.newBuilder();
        for (Tool t : executor.registry().all()) {
            b.addTools(ToolSpec.newBuilder().setName(t.name()).setDescription(t.description())
                    .setParametersJsonSchema(t.parametersSchema().replace("\n", ""))
                    .setReadOnly(t.readOnly()).setStreams(t.streams()).setNetwork(t.network()));
        }
        return Uni.createFrom().item(b.build());
    }

    @Override
    public Uni<ExecuteResponse> execute(ExecuteRequest request) {
        return Uni.createFrom().item(() -> run(request, OutputSink.DISCARD)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<PreviewResponse> preview(ExecuteRequest request) {
        return Uni.createFrom().item(() -> {
            try {
                ToolExecutor.Preview p = executor.preview(request.getSessionId(), request.getToolName(),
                        request.getArgumentsJson());
                return PreviewResponse.newBuilder().setHasPreview(p.available()).setDiff(p.diff())
                        .setError(p.error()).build();
            } catch (ToolException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
            }
        }).runSubscriptionOn(threads);
    }

    @Override
    public Multi<ExecuteChunk> executeStream(ExecuteRequest request) {
        return Multi.createFrom().emitter(em -> threads.execute(() -> {
            try {
                java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
                em.onTermination(() -> gone.set(true));
                OutputSink sink = new OutputSink() {
                    @Override
                    public boolean cancelled() {
                        return gone.get() || em.isCancelled();
                    }

                    // A caller that went away (an agent killed mid-call) leaves a killed command: that is not the
                    // tool's result, and the caller's successor repeating the call id must read INTERRUPTED (issue 19).
                    @Override
                    public String interruption() {
                        return cancelled() ? "the caller went away while this call ran (its stream ended) and the"
                                + " command was stopped" : null;
                    }

                    @Override
                    public void stdout(String text) {
                        em.emit(ExecuteChunk.newBuilder().setStdout(text).build());
                    }

                    @Override
                    public void stderr(String text) {
                        em.emit(ExecuteChunk.newBuilder().setStderr(text).build());
                    }
                };
                ExecuteResponse r = run(request, sink);
                em.emit(ExecuteChunk.newBuilder().setResult(r).build());
                em.complete();
            } catch (RuntimeException e) {
                em.fail(e);
            }
        }));
    }

    @Override
    public Uni<CloseSessionResponse> closeSession(CloseSessionRequest request) {
        return Uni.createFrom().item(() -> {
            try {
                // MCP servers first: a stdio server runs in the workspace that a purge deletes
                mcp.closeSession(request.getSessionId());
                boolean closed = sessions.close(request.getSessionId(), request.getPurgeWorkspace());
                store.dropSession(request.getSessionId());
                workspaces.close(request.getSessionId(), request.getPurgeWorkspace());
                egressProxy.closeSession(request.getSessionId());
                egress.forget(request.getSessionId());
                stage.closeSession(request.getSessionId());
                return CloseSessionResponse.newBuilder().setClosed(closed).build();
            } catch (ToolException e) {
                throw status(e);
            }
        }).runSubscriptionOn(threads);
    }

    @Override
    public Uni<PrepareWorkspaceResponse> prepareWorkspace(PrepareWorkspaceRequest request) {
        return Uni.createFrom().item(() -> workspaceRpc.prepare(request)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<GetChangesResponse> getChanges(GetChangesRequest request) {
        return Uni.createFrom().item(() -> workspaceRpc.changes(request)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<CommitChangesResponse> commitChanges(CommitChangesRequest request) {
        return Uni.createFrom().item(() -> workspaceRpc.commit(request)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<PushChangesResponse> pushChanges(PushChangesRequest request) {
        return Uni.createFrom().item(() -> workspaceRpc.push(request)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<StageArchiveResponse> stageArchive(StageArchiveRequest request) {
        return Uni.createFrom().item(() -> workspaceRpc.stageArchive(request)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<ListEgressResponse> listEgress(ListEgressRequest request) {
        return Uni.createFrom().item(() -> workspaceRpc.listEgress(request)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<ListMcpToolsResponse> listMcpTools(ListMcpToolsRequest request) {
        return Uni.createFrom().item(() -> mcpRpc.list(request)).runSubscriptionOn(threads);
    }

    @Override
    public Uni<CallMcpToolResponse> callMcpTool(CallMcpToolRequest request) {
        return Uni.createFrom().item(() -> mcpRpc.call(request)).runSubscriptionOn(threads);
    }

    private ExecuteResponse run(ExecuteRequest req, OutputSink sink) {
        ToolExecutor.Response r;
        try {
            r = executor.execute(req.getSessionId(), req.getCallId(), req.getToolName(), req.getArgumentsJson(),
                    req.getTimeoutMs(), sink);
        } catch (ToolException e) {
            throw status(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "tool %s failed internally (session %s, call %s)", req.getToolName(), req.getSessionId(),
                    req.getCallId());
            throw Status.INTERNAL.withDescription("tool " + req.getToolName() + " failed internally: " + e)
                    .asRuntimeException();
        }
        ToolResult t = r.result();
        var b = ExecuteResponse.newBuilder().setCallId(req.getCallId()).setOk(t.ok()).setOutput(t.output())
                .setError(t.error()).setTruncated(t.truncated()).setDurationMs(r.durationMs())
                .setReplayed(r.replayed()).setInterrupted(t.interrupted()).setMetadataJson(toJson(t));
        if (t.exitCode() != null) {
            b.setExitCode(t.exitCode());
        }
        return b.build();
    }

    private String toJson(ToolResult t) {
        try {
            return json.writeValueAsString(t.metadata());
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }

    private static RuntimeException status(ToolException e) {
        Status s = switch (e.code()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            default -> Status.FAILED_PRECONDITION;
        };
        return s.withDescription(e.getMessage()).asRuntimeException();
    }
}
