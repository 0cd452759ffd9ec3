package run.codetether.tools.domain.mcp;

import java.time.Duration;

/** Starts a server and completes the MCP handshake (port; infra implements it with the sandbox and the SDK). */
public interface McpConnector {

    /**
     * @param timeout for start-up and the handshake together
     * @throws run.codetether.tools.domain.ToolException UNAVAILABLE (could not start, exited, unreachable), TIMEOUT
     *     (no handshake in time), EGRESS_REFUSED (destination refused), INVALID_ARGUMENT (a missing secret field)
     */
    McpConnection connect(String sessionId, McpServerSpec spec, Duration timeout);
}
