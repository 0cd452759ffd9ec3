package run.codetether.agent.domain.dispatch;

/**
 * A source cannot offer its tools to this run because of what the task asked for (for instance MCP servers the
 * tenant may not name per task). The task fails with this message, which says what to change; nothing runs.
 */
public final class ToolSourceException extends RuntimeException {

    public ToolSourceException(String message) {
        super(message);
    }
}
