package run.codetether.tools.domain.git;

import java.util.Optional;
import run.codetether.tools.domain.git.WorkspaceResults.Author;
import run.codetether.tools.domain.git.WorkspaceResults.Changes;
import run.codetether.tools.domain.git.WorkspaceResults.Committed;
import run.codetether.tools.domain.git.WorkspaceResults.Prepared;
import run.codetether.tools.domain.git.WorkspaceResults.Pushed;

/**
 * A session's workspace as a git checkout: brought in from a remote or an archive, changes out as a diff, a commit or
 * a pushed branch. Every method is safe to call concurrently (calls on one session are serialised) and throws
 * {@link WorkspaceException} with a redacted message.
 */
public interface WorkspaceService {

    /** Idempotent per session; see the PrepareWorkspace RPC. */
    Prepared prepare(String sessionId, WorkspaceSource source, boolean egress);

    /** The workspace against its base commit (untracked files included, ignored ones left out). */
    Changes changes(String sessionId);

    /** Commits every change on the working branch; nothing to commit gives {@code committed=false}. */
    Committed commit(String sessionId, String message, Author author);

    /** Commits what is uncommitted (message required then), then pushes HEAD to {@code branch} (codetether/...). */
    Pushed push(String sessionId, String branch, String message, Author author, Optional<String> url);

    /** The session's workspace record, if it was prepared. */
    Optional<WorkspaceInfo> info(String sessionId);

    /** Forgets the record; with purge also deletes the git directory (the files are the session registry's). */
    void close(String sessionId, boolean purge);
}
