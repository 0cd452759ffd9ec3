package run.codetether.tools.domain.mcp;

import java.util.List;

/** What one server answered to the handshake and tools/list. */
public record McpListing(String serverInfo, String instructions, List<McpTool> tools) {

    public McpListing {
        serverInfo = serverInfo == null ? "" : serverInfo;
        instructions = instructions == null ? "" : instructions;
        tools = List.copyOf(tools);
    }
}
