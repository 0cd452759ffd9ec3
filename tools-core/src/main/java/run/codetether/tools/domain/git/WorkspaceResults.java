package run.codetether.tools.domain.git;

import java.util.List;

/** Results of the workspace operations (records only; the service is {@link WorkspaceService}). */
public final class WorkspaceResults {

    private WorkspaceResults() {}

    public record Prepared(WorkspaceInfo workspace, boolean reused, long durationMs, List<String> notes) {}

    /** The stats of the {@code changes} artifact. */
    public record ChangeStats(int filesChanged, int insertions, int deletions, String baseRef, String baseCommit) {}

    /** A unified git diff (bytes: file contents need not be UTF-8) and its stats. */
    public record Changes(byte[] diff, ChangeStats stats) {}

    public record Committed(boolean committed, String commit, String branch, ChangeStats stats) {}

    public record Pushed(String branch, String commit, String remote, boolean committed) {}

    /** Commit author; blank fields fall back to the configured author. */
    public record Author(String name, String email) {}
}
