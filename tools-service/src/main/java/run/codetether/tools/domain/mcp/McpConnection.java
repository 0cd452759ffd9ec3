package run.codetether.tools.domain.mcp;

import java.time.Duration;
import java.util.Map;

/**
 * A live, initialized connection to one MCP server (port; infra implements it on the official SDK). Every failure is
 * a {@link run.codetether.tools.domain.ToolException} whose message names the server and says what happened (exited,
 * unreachable, did not answer in time) and, for a stdio server, the last lines it wrote to stderr.
 */
public interface McpConnection extends AutoCloseable {

    /** The server's tools (every page); cached until the server says its list changed. */
    McpListing list(Duration timeout);

    /**
     * Calls one tool. A server that does not answer within {@code timeout} is then pinged; one that does not answer
     * the ping either is closed (the pool starts a fresh one on next use).
     */
    McpCallResult call(String tool, Map<String, Object> arguments, Duration timeout);

    /** False once the server exited, the transport broke or the connection was closed. */
    boolean alive();

    /** Stops the server (a stdio server's whole process tree) and releases its egress listener. Idempotent. */
    @Override
    void close();
}
