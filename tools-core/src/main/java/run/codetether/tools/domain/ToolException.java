package run.codetether.tools.domain;

/**
 * A tool refused or failed in a way the model can act on. The message is shown to the model verbatim, so it says
 * what was wrong and what to do instead; the code lets callers branch without parsing words.
 */
public final class ToolException extends RuntimeException {

    /** Closed set of failure kinds; each maps to one error prefix in the tool result. */
    public enum Code {
        INVALID_ARGUMENT, NOT_FOUND, AMBIGUOUS_MATCH, PATH_REFUSED, PATCH_FAILED, TOO_LARGE, UNKNOWN_TOOL,
        DISABLED, EGRESS_REFUSED, UNAVAILABLE, TIMEOUT, IO_ERROR,
        /** The call started before its process restarted and did not finish; it was not run again. */
        INTERRUPTED
    }

    private final Code code;

    public ToolException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public ToolException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public static ToolException invalid(String message) {
        return new ToolException(Code.INVALID_ARGUMENT, message);
    }
}
