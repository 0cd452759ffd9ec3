package run.codetether.cli;

/** The CLI's exit codes (docs/cli.md lists them). */
public final class ExitCodes {
    /** The command did what was asked; a task completed. */
    public static final int OK = 0;
    /** A task failed, was rejected or canceled; or a local operation failed. */
    public static final int TASK_FAILED = 1;
    /** A task waits for input (a question or an approval); answer with {@code run --task ID}. */
    public static final int NEEDS_INPUT = 2;
    /** The gateway refused the request (JSON-RPC error, HTTP 4xx/5xx). */
    public static final int GATEWAY_ERROR = 3;
    /** This gateway does not serve the endpoint yet (HTTP 404 on a {@code /v1/...} path). */
    public static final int NOT_SERVED = 4;
    /** The gateway could not be reached. */
    public static final int UNREACHABLE = 5;
    /** Bad command line (unknown option, missing argument). */
    public static final int USAGE = 64;
    /** Interrupted (Ctrl+C). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
