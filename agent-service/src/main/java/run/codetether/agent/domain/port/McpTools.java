package run.codetether.agent.domain.port;

import java.time.Duration;
import java.util.List;
import run.codetether.agent.domain.mcp.McpServerSpec;

/**
 * The MCP servers' tools through tools-service (ListMcpTools, CallMcpTool): servers start lazily there, pooled per
 * session (the task's workspace session). A call is idempotent by (session, call id), as Execute.
 */
public interface McpTools {

    /** One tool as its server declares it; hints are null when the server gives none. */
    record Tool(String server, String name, String title, String description, String inputSchemaJson,
            Boolean readOnlyHint, Boolean destructiveHint) {}

    /** Whether a server could be listed, and why not. */
    record ServerStatus(String server, boolean ok, String error) {}

    record Listing(List<Tool> tools, List<ServerStatus> servers) {}

    /** One content block of a result. Closed set. */
    sealed interface Content {}

    record Text(String text) implements Content {}

    /** An image or audio block ({@code kind} image | audio). */
    record Binary(String kind, String mimeType, byte[] data) implements Content {}

    /** An embedded resource; {@code text} null for a blob. */
    record Resource(String uri, String mimeType, String text, byte[] blob) implements Content {}

    record Link(String uri, String name, String description, String mimeType) implements Content {}

    /**
     * A call's outcome: the server's answer ({@code toolError} when it flagged one) or, with an empty content, why
     * there is none ({@code error}: the server could not start, died, hung, was refused).
     *
     * @param interrupted the call did not complete and was not run again: the MCP server or tools-service died while
     *     it ran (tools-service said so, or never came back within the retry time). Not an answer of the server: it
     *     may have done part of its work. {@code ok} is false and {@code error} says what happened.
     */
    record Outcome(boolean ok, List<Content> content, String structuredJson, boolean toolError, String error,
            boolean replayed, boolean interrupted) {
        public Outcome {
            content = content == null ? List.of() : List.copyOf(content);
            structuredJson = structuredJson == null ? "" : structuredJson;
            error = error == null ? "" : error;
        }

        /** A failure without an answer that is not an interruption (the server could not start, was refused). */
        public static Outcome failed(String error) {
            return new Outcome(false, List.of(), "", false, error, false, false);
        }

        /** A call that did not complete (see {@code interrupted}). */
        public static Outcome interrupted(String why) {
            return new Outcome(false, List.of(), "", false, why, false, true);
        }
    }

    /** Lists the servers' tools (starting them as needed); a server's failure is in its status. */
    Listing list(String sessionId, List<McpServerSpec> servers, Duration timeout) throws InterruptedException;

    /** Calls one tool; a transport failure of tools-service itself throws. */
    Outcome call(String sessionId, String callId, McpServerSpec server, String tool, String argumentsJson,
            Duration timeout) throws InterruptedException;

    McpTools NONE = new McpTools() {
        @Override
        public Listing list(String sessionId, List<McpServerSpec> servers, Duration timeout) {
            return new Listing(List.of(), servers.stream().map(s -> new ServerStatus(s.name(), false,
                    "no MCP client is configured")).toList());
        }

        @Override
        public Outcome call(String sessionId, String callId, McpServerSpec server, String tool, String argumentsJson,
                Duration timeout) {
            return Outcome.failed("no MCP client is configured");
        }
    };
}
