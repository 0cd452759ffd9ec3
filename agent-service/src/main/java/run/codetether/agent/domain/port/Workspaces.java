package run.codetether.agent.domain.port;

import java.util.List;
import run.codetether.contracts.events.TaskWorkspace;

/**
 * A task's workspace as tools-service keeps it (PrepareWorkspace, GetChanges, CommitChanges, PushChanges): brought
 * in from a git remote or a staged archive before the first model call, its change out as a diff, a commit or a
 * pushed branch. Credentials never pass through here: tools-service reads them itself. Every call blocks; an
 * interrupt cancels it.
 */
public interface Workspaces {

    /** What a workspace started from; {@code reused} when the session already had it. */
    record Prepared(String kind, String source, String baseRef, String baseCommit, String branch, boolean egress,
            boolean reused, long durationMs, List<String> notes) {}

    /** The stats part of the {@code changes} artifact. */
    record Stats(int filesChanged, int insertions, int deletions, String baseRef, String baseCommit) {}

    /** The workspace against its base commit: a unified git diff (bytes as git wrote them) and its stats. */
    record Changes(byte[] diff, Stats stats) {}

    /** {@code committed} false when there was nothing to commit. */
    record Committed(boolean committed, String commit, String branch) {}

    record Pushed(String branch, String commit, String remote) {}

    /** A commit's author; null fields are not allowed (use no author at all for tools-service's default). */
    record Author(String name, String email) {}

    /**
     * A workspace call that tools-service refused or could not do. The message is tools-service's, already free of
     * credentials, and is shown to the user as it is.
     */
    final class Failure extends Exception {
        /** What went wrong, as tools-service classifies it (the gRPC status of the call). */
        public enum Kind {
            INVALID, REFUSED, NOT_FOUND, UNAUTHENTICATED, TOO_LARGE, CONFLICT, UNAVAILABLE, UNSUPPORTED, FAILED
        }

        private final Kind kind;

        public Failure(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * Makes the session's workspace ready: from {@code source}, or (null) the workspace as it is, an empty one for a
     * new session. Idempotent per session: the same source again reuses the workspace.
     */
    Prepared prepare(String sessionId, TaskWorkspace.Source source, boolean egress)
            throws Failure, InterruptedException;

    Changes changes(String sessionId) throws Failure, InterruptedException;

    /** Commits every change on the working branch; {@code author} null = tools-service's configured author. */
    Committed commit(String sessionId, String message, Author author) throws Failure, InterruptedException;

    /** Commits what is uncommitted, then pushes HEAD to {@code branch} of the source's remote. */
    Pushed push(String sessionId, String branch, String message, Author author) throws Failure, InterruptedException;

    /** A tools-service (or a test) without workspace RPCs: every call is {@link Failure.Kind#UNSUPPORTED}. */
    Workspaces NONE = new Workspaces() {
        private Failure none() {
            return new Failure(Failure.Kind.UNSUPPORTED, "no workspace service is configured");
        }

        @Override
        public Prepared prepare(String sessionId, TaskWorkspace.Source source, boolean egress) throws Failure {
            throw none();
        }

        @Override
        public Changes changes(String sessionId) throws Failure {
            throw none();
        }

        @Override
        public Committed commit(String sessionId, String message, Author author) throws Failure {
            throw none();
        }

        @Override
        public Pushed push(String sessionId, String branch, String message, Author author) throws Failure {
            throw none();
        }
    };
}
