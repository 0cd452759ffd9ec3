package run.codetether.tools.domain.git;

/**
 * A workspace operation (prepare, changes, commit, push) refused or failed. The message is safe to show anywhere:
 * every message is built from redacted text (no credential, no user info of a URL). The code maps to one gRPC status.
 */
public final class WorkspaceException extends RuntimeException {

    /** Closed set of failure kinds. */
    public enum Code {
        /** A malformed request (URL, branch name, media type). */
        INVALID_ARGUMENT,
        /** The host or address is not allowed (allowlist, internal address, protocol). */
        REFUSED,
        /** The ref, repository or branch does not exist. */
        NOT_FOUND,
        /** The server refused our credential, or there is none for a host that needs one. */
        AUTH_FAILED,
        /** An archive, its unpacked content or a diff is over its limit. */
        TOO_LARGE,
        /** The session's state does not allow it (another source, not prepared, non-empty, non-fast-forward). */
        CONFLICT,
        /** The remote could not be reached or timed out. */
        UNAVAILABLE,
        /** Anything else git or the file system reported. */
        FAILED
    }

    private final Code code;

    public WorkspaceException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
