package run.codetether.tools.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.contracts.tools.v1.ArchiveSource;
import run.codetether.contracts.tools.v1.ChangeStats;
import run.codetether.contracts.tools.v1.CommitChangesRequest;
import run.codetether.contracts.tools.v1.CommitChangesResponse;
import run.codetether.contracts.tools.v1.EgressRecord;
import run.codetether.contracts.tools.v1.GetChangesRequest;
import run.codetether.contracts.tools.v1.GetChangesResponse;
import run.codetether.contracts.tools.v1.GitAuthor;
import run.codetether.contracts.tools.v1.GitSource;
import run.codetether.contracts.tools.v1.ListEgressRequest;
import run.codetether.contracts.tools.v1.ListEgressResponse;
import run.codetether.contracts.tools.v1.PrepareWorkspaceRequest;
import run.codetether.contracts.tools.v1.PrepareWorkspaceResponse;
import run.codetether.contracts.tools.v1.PushChangesRequest;
import run.codetether.contracts.tools.v1.PushChangesResponse;
import run.codetether.contracts.tools.v1.StageArchiveRequest;
import run.codetether.contracts.tools.v1.StageArchiveResponse;
import run.codetether.contracts.tools.v1.WorkspaceInfo;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.egress.EgressRecorder;
import run.codetether.tools.domain.git.ArchiveStage;
import run.codetether.tools.domain.git.GitUrl;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceResults;
import run.codetether.tools.domain.git.WorkspaceService;
import run.codetether.tools.domain.git.WorkspaceSource;

/**
 * The workspace RPCs of ToolService: wire to domain and back, and every {@link WorkspaceException} to one gRPC
 * status (its message is already free of secrets): INVALID_ARGUMENT, PERMISSION_DENIED (host refused),
 * NOT_FOUND, UNAUTHENTICATED (credential missing or rejected), RESOURCE_EXHAUSTED (size limits),
 * FAILED_PRECONDITION (another source, not prepared, non-fast-forward), UNAVAILABLE, INTERNAL.
 */
final class WorkspaceRpc {

    private static final Logger LOG = Logger.getLogger(WorkspaceRpc.class);

    private final WorkspaceService workspaces;
    private final EgressRecorder egress;
    private final ArchiveStage stage;

    WorkspaceRpc(WorkspaceService workspaces, EgressRecorder egress, ArchiveStage stage) {
        this.workspaces = workspaces;
        this.egress = egress;
        this.stage = stage;
    }

    PrepareWorkspaceResponse prepare(PrepareWorkspaceRequest r) {
        return guard("PrepareWorkspace", r.getSessionId(), () -> {
            String stagedId = r.hasSource() && r.getSource().hasArchive() ? r.getSource().getArchive().getStagedId() : "";
            WorkspaceSource source = stagedId.isEmpty() ? source(r) : staged(r.getSessionId(), r.getSource().getArchive());
            WorkspaceResults.Prepared p = workspaces.prepare(r.getSessionId(), source, r.getEgress());
            if (!stagedId.isEmpty() && !p.reused()) {
                stage.delete(r.getSessionId(), stagedId); // the workspace holds it now; a repeat reuses the workspace
            }
            return PrepareWorkspaceResponse.newBuilder().setWorkspace(info(p.workspace())).setReused(p.reused())
                    .setDurationMs(p.durationMs()).addAllNotes(p.notes()).build();
        });
    }

    StageArchiveResponse stageArchive(StageArchiveRequest r) {
        return guard("StageArchive", r.getSessionId(), () -> {
            ArchiveStage.Staged s = stage.stage(r.getSessionId(), archive(ArchiveSource.newBuilder()
                    .setMediaType(r.getMediaType()).setData(r.getData()).setName(r.getName()).build()));
            LOG.infof("StageArchive for session %s: %d bytes, %s", r.getSessionId(), s.sizeBytes(), s.mediaType());
            return StageArchiveResponse.newBuilder().setStagedId(s.id()).setSizeBytes(s.sizeBytes())
                    .setMediaType(s.mediaType()).build();
        });
    }

    /**
     * The staged bytes as an archive source. When they are gone because this session's workspace was already
     * prepared from them (a repeated PrepareWorkspace, e.g. a redelivered task), the answer is "reuse it".
     */
    private WorkspaceSource staged(String sessionId, ArchiveSource a) {
        String id = a.getStagedId();
        java.util.Optional<byte[]> bytes = stage.read(sessionId, id);
        if (bytes.isPresent()) {
            return archive(a.toBuilder().setData(com.google.protobuf.ByteString.copyFrom(bytes.get())).build());
        }
        if (workspaces.info(sessionId).map(w -> w.sourceKey().equals("archive " + id)).orElse(false)) {
            return new WorkspaceSource.Empty();
        }
        throw new WorkspaceException(Code.NOT_FOUND, "staged archive " + id + " is not on this tools-service for "
                + "session " + sessionId + " (never staged here, or older than codetether.tools.archive.staged-ttl);"
                + " send the archive again");
    }

    GetChangesResponse changes(GetChangesRequest r) {
        return guard("GetChanges", r.getSessionId(), () -> {
            WorkspaceResults.Changes c = workspaces.changes(r.getSessionId());
            return GetChangesResponse.newBuilder().setDiff(com.google.protobuf.ByteString.copyFrom(c.diff()))
                    .setStats(stats(c.stats())).build();
        });
    }

    CommitChangesResponse commit(CommitChangesRequest r) {
        return guard("CommitChanges", r.getSessionId(), () -> {
            WorkspaceResults.Committed c = workspaces.commit(r.getSessionId(), r.getMessage(), author(r.hasAuthor(),
                    r.getAuthor()));
            return CommitChangesResponse.newBuilder().setCommitted(c.committed()).setCommit(c.commit())
                    .setBranch(c.branch()).setStats(stats(c.stats())).build();
        });
    }

    PushChangesResponse push(PushChangesRequest r) {
        return guard("PushChanges", r.getSessionId(), () -> {
            WorkspaceResults.Pushed p = workspaces.push(r.getSessionId(), r.getBranch(), r.getMessage(),
                    author(r.hasAuthor(), r.getAuthor()), Optional.of(r.getUrl()).filter(u -> !u.isBlank()));
            return PushChangesResponse.newBuilder().setBranch(p.branch()).setCommit(p.commit()).setRemote(p.remote())
                    .setCommitted(p.committed()).build();
        });
    }

    ListEgressResponse listEgress(ListEgressRequest r) {
        return guard("ListEgress", r.getSessionId(), () -> {
            var b = ListEgressResponse.newBuilder();
            for (EgressEvent e : egress.recent(r.getSessionId())) {
                b.addRecords(EgressRecord.newBuilder().setAtEpochMs(e.atEpochMs()).setMethod(e.method())
                        .setHost(e.host()).setPort(e.port()).setOutcome(e.outcome()).setReason(e.message().isEmpty()
                                ? e.reason() : e.reason() + ": " + e.message())
                        .setAddress(e.address()).setBytesUp(e.bytesUp()).setBytesDown(e.bytesDown()));
            }
            return b.build();
        });
    }

    static WorkspaceSource source(PrepareWorkspaceRequest r) {
        if (!r.hasSource()) {
            return new WorkspaceSource.Empty();
        }
        return switch (r.getSource().getKindCase()) {
            case GIT -> {
                GitSource g = r.getSource().getGit();
                yield new WorkspaceSource.Git(GitUrl.parse(g.getUrl()), g.getRef(), g.hasDepth() ? g.getDepth() : null,
                        g.getSubmodules());
            }
            case ARCHIVE -> archive(r.getSource().getArchive());
            case KIND_NOT_SET -> new WorkspaceSource.Empty();
        };
    }

    /** The media type as given, or sniffed from the first bytes when it is empty or application/octet-stream. */
    static WorkspaceSource.Archive archive(ArchiveSource a) {
        byte[] data = a.getData().toByteArray();
        String name = a.getName().isBlank() ? "archive" : a.getName().strip();
        String type = a.getMediaType().strip().toLowerCase(Locale.ROOT);
        int semi = type.indexOf(';');
        if (semi >= 0) {
            type = type.substring(0, semi).strip();
        }
        if (type.isEmpty() || type.equals("application/octet-stream")) {
            String head = new String(data, 0, Math.min(16, data.length), java.nio.charset.StandardCharsets.ISO_8859_1);
            type = head.startsWith("# v2 git bundle") || head.startsWith("# v3 git bundle") ? WorkspaceSource.BUNDLE
                    : data.length > 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b ? WorkspaceSource.GZIP : type;
        }
        type = switch (type) {
            case "application/x-gzip", "application/x-tar+gzip", "application/x-compressed-tar", "application/tar+gzip" ->
                    WorkspaceSource.GZIP;
            default -> type;
        };
        if (!type.equals(WorkspaceSource.BUNDLE) && !type.equals(WorkspaceSource.GZIP)) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive " + name + " has media type '"
                    + a.getMediaType() + "'; send application/x-git-bundle (a git bundle) or application/gzip (a"
                    + " .tar.gz)");
        }
        return new WorkspaceSource.Archive(type, data, name);
    }

    static WorkspaceInfo info(run.codetether.tools.domain.git.WorkspaceInfo w) {
        return WorkspaceInfo.newBuilder().setKind(w.kind()).setSource(w.source()).setBaseRef(w.baseRef())
                .setBaseCommit(w.baseCommit()).setBranch(w.branch()).setEgress(w.egress()).build();
    }

    static ChangeStats stats(WorkspaceResults.ChangeStats s) {
        return ChangeStats.newBuilder().setFilesChanged(s.filesChanged()).setInsertions(s.insertions())
                .setDeletions(s.deletions()).setBaseRef(s.baseRef()).setBaseCommit(s.baseCommit()).build();
    }

    private static WorkspaceResults.Author author(boolean has, GitAuthor a) {
        return has ? new WorkspaceResults.Author(a.getName(), a.getEmail()) : null;
    }

    private static <T> T guard(String rpc, String sessionId, java.util.function.Supplier<T> body) {
        try {
            SessionRegistry.checkId(sessionId);
            return body.get();
        } catch (ToolException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        } catch (WorkspaceException e) {
            LOG.infof("%s for session %s: %s %s", rpc, sessionId, e.code(), e.getMessage());
            throw status(e);
        } catch (StatusRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf("%s for session %s failed internally: %s", rpc, sessionId, e.getClass().getName());
            throw Status.INTERNAL.withDescription(rpc + " failed internally: " + e.getClass().getSimpleName())
                    .asRuntimeException();
        }
    }

    static StatusRuntimeException status(WorkspaceException e) {
        Status s = switch (e.code()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case REFUSED -> Status.PERMISSION_DENIED;
            case NOT_FOUND -> Status.NOT_FOUND;
            case AUTH_FAILED -> Status.UNAUTHENTICATED;
            case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
            case CONFLICT -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case FAILED -> Status.INTERNAL;
        };
        return s.withDescription(e.getMessage()).asRuntimeException();
    }
}
