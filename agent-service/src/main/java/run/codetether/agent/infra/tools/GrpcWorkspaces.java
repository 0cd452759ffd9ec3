package run.codetether.agent.infra.tools;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.contracts.events.TaskWorkspace;
import run.codetether.contracts.tools.v1.ArchiveSource;
import run.codetether.contracts.tools.v1.ChangeStats;
import run.codetether.contracts.tools.v1.CommitChangesRequest;
import run.codetether.contracts.tools.v1.CommitChangesResponse;
import run.codetether.contracts.tools.v1.GetChangesRequest;
import run.codetether.contracts.tools.v1.GetChangesResponse;
import run.codetether.contracts.tools.v1.GitAuthor;
import run.codetether.contracts.tools.v1.GitSource;
import run.codetether.contracts.tools.v1.PrepareWorkspaceRequest;
import run.codetether.contracts.tools.v1.PrepareWorkspaceResponse;
import run.codetether.contracts.tools.v1.PushChangesRequest;
import run.codetether.contracts.tools.v1.PushChangesResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.contracts.tools.v1.WorkspaceInfo;
import run.codetether.contracts.tools.v1.WorkspaceSource;

/**
 * tools-service's workspace RPCs over the tool executor's channel. Every status becomes a {@link Workspaces.Failure}
 * whose message is tools-service's description (user-safe by its contract); UNIMPLEMENTED (an older tools-service)
 * is {@code UNSUPPORTED}. A deadline bounds each call.
 */
public final class GrpcWorkspaces implements Workspaces {
    private final ToolServiceGrpc.ToolServiceBlockingStub stub;
    private final String target;
    private final Duration timeout;

    public GrpcWorkspaces(GrpcToolExecutor tools, Duration timeout) {
        this.stub = ToolServiceGrpc.newBlockingStub(tools.channel());
        this.target = tools.target();
        this.timeout = timeout;
    }

    @Override
    public Prepared prepare(String sessionId, TaskWorkspace.Source source, boolean egress) throws Failure {
        var req = PrepareWorkspaceRequest.newBuilder().setSessionId(sessionId).setEgress(egress);
        switch (source) {
            case null -> {
                // no source: the session's workspace as it is, an empty one for a new session
            }
            case TaskWorkspace.Git g -> {
                GitSource.Builder git = GitSource.newBuilder().setUrl(g.url()).setSubmodules(g.submodules());
                if (g.ref() != null) {
                    git.setRef(g.ref());
                }
                if (g.depth() != null) {
                    git.setDepth(g.depth());
                }
                req.setSource(WorkspaceSource.newBuilder().setGit(git));
            }
            case TaskWorkspace.Archive a -> req.setSource(WorkspaceSource.newBuilder().setArchive(ArchiveSource
                    .newBuilder().setMediaType(a.mediaType()).setName(a.name() == null ? "" : a.name())
                    .setStagedId(a.stagedId())));
        }
        PrepareWorkspaceResponse r = call(() -> stub().prepareWorkspace(req.build()));
        WorkspaceInfo w = r.getWorkspace();
        return new Prepared(w.getKind(), w.getSource(), w.getBaseRef(), w.getBaseCommit(), w.getBranch(),
                w.getEgress(), r.getReused(), r.getDurationMs(), r.getNotesList());
    }

    @Override
    public Changes changes(String sessionId) throws Failure {
        GetChangesResponse r = call(() -> stub().getChanges(GetChangesRequest.newBuilder().setSessionId(sessionId)
                .build()));
        return new Changes(r.getDiff().toByteArray(), stats(r.getStats()));
    }

    @Override
    public Committed commit(String sessionId, String message, Author author) throws Failure {
        var req = CommitChangesRequest.newBuilder().setSessionId(sessionId).setMessage(message);
        if (author != null) {
            req.setAuthor(GitAuthor.newBuilder().setName(author.name()).setEmail(author.email()));
        }
        CommitChangesResponse r = call(() -> stub().commitChanges(req.build()));
        return new Committed(r.getCommitted(), r.getCommit(), r.getBranch());
    }

    @Override
    public Pushed push(String sessionId, String branch, String message, Author author) throws Failure {
        var req = PushChangesRequest.newBuilder().setSessionId(sessionId).setBranch(branch).setMessage(message);
        if (author != null) {
            req.setAuthor(GitAuthor.newBuilder().setName(author.name()).setEmail(author.email()));
        }
        PushChangesResponse r = call(() -> stub().pushChanges(req.build()));
        return new Pushed(r.getBranch(), r.getCommit(), r.getRemote());
    }

    private ToolServiceGrpc.ToolServiceBlockingStub stub() {
        return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T call(java.util.function.Supplier<T> rpc) throws Failure {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            Status s = e.getStatus();
            String detail = s.getDescription() == null ? s.getCode().name() : s.getDescription();
            Failure.Kind kind = switch (s.getCode()) {
                case INVALID_ARGUMENT -> Failure.Kind.INVALID;
                case PERMISSION_DENIED -> Failure.Kind.REFUSED;
                case NOT_FOUND -> Failure.Kind.NOT_FOUND;
                case UNAUTHENTICATED -> Failure.Kind.UNAUTHENTICATED;
                case RESOURCE_EXHAUSTED -> Failure.Kind.TOO_LARGE;
                case FAILED_PRECONDITION -> Failure.Kind.CONFLICT;
                case UNIMPLEMENTED -> Failure.Kind.UNSUPPORTED;
                case UNAVAILABLE, DEADLINE_EXCEEDED -> Failure.Kind.UNAVAILABLE;
                default -> Failure.Kind.FAILED;
            };
            if (kind == Failure.Kind.UNSUPPORTED) {
                detail = "tools-service at " + target + " has no workspace RPCs (upgrade tools-service)";
            } else if (s.getCode() == Status.Code.UNAVAILABLE && s.getDescription() == null) {
                detail = "tools-service at " + target + " is unreachable (codetether.agent.tools.host/port)";
            } else if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                detail = "tools-service did not answer within " + timeout.toSeconds()
                        + " s (codetether.agent.workspace.timeout)";
            }
            throw new Failure(kind, detail);
        }
    }

    private static Stats stats(ChangeStats s) {
        return new Stats(s.getFilesChanged(), s.getInsertions(), s.getDeletions(), s.getBaseRef(), s.getBaseCommit());
    }
}
