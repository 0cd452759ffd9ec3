package run.codetether.tools.domain.git;

/**
 * What a session's workspace started from, persisted beside it so a restarted service still knows its base. Never
 * holds a credential: {@code source} and {@code remote} are URLs without user info.
 *
 * @param kind git | bundle | tarball | empty
 * @param sourceKey the idempotency key of the source ({@link WorkspaceSource#key()})
 * @param remote the URL pushes go to by default (git sources), else empty
 * @param baseCommit the commit diffs are taken against; empty = the empty tree
 * @param branch the working branch; empty = detached
 */
public record WorkspaceInfo(String kind, String source, String sourceKey, String remote, String baseRef,
        String baseCommit, String branch, boolean egress, long preparedAtEpochMs) {

    public WorkspaceInfo withEgress(boolean on) {
        return new WorkspaceInfo(kind, source, sourceKey, remote, baseRef, baseCommit, branch, on, preparedAtEpochMs);
    }
}
