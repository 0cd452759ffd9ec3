package run.codetether.tools.domain.mcp;

/**
 * One tool of an MCP server as the server declares it. Schemas are JSON text (an object); hints are null when the
 * server gives no annotation (absent is not false: a tool without readOnlyHint is not known to be read-only).
 */
public record McpTool(String server, String name, String title, String description, String inputSchemaJson,
        String outputSchemaJson, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
        Boolean openWorldHint) {

    public McpTool {
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        inputSchemaJson = inputSchemaJson == null || inputSchemaJson.isBlank() ? "{\"type\":\"object\"}" : inputSchemaJson;
        outputSchemaJson = outputSchemaJson == null ? "" : outputSchemaJson;
    }
}
