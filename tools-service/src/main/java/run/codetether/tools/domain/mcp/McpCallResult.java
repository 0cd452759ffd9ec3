package run.codetether.tools.domain.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolResult;

/**
 * A tool's answer as its server sent it: the content blocks, the structured content (JSON text, empty when none) and
 * whether the server flagged it as a tool error. Stored in the idempotency store as a {@link ToolResult} (content in
 * its metadata, a text rendering as its output), so a repeated call id is answered without calling the server again,
 * also after a restart.
 */
public record McpCallResult(List<McpContent> content, String structuredJson, boolean toolError) {

    static final String CONTENT = "mcp_content";
    static final String STRUCTURED = "mcp_structured_content";
    static final String TOOL_ERROR = "mcp_tool_error";

    public McpCallResult {
        content = List.copyOf(content);
        structuredJson = structuredJson == null ? "" : structuredJson;
    }

    /** The stored form: ok unless the server flagged a tool error. */
    public ToolResult toToolResult() {
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (McpContent c : content) {
            Map<String, Object> m = new LinkedHashMap<>();
            switch (c) {
                case McpContent.Text t -> {
                    m.put("type", "text");
                    m.put("text", t.text());
                }
                case McpContent.Image i -> {
                    m.put("type", "image");
                    m.put("mime_type", i.mimeType());
                    m.put("data", i.base64());
                }
                case McpContent.Audio a -> {
                    m.put("type", "audio");
                    m.put("mime_type", a.mimeType());
                    m.put("data", a.base64());
                }
                case McpContent.Resource r -> {
                    m.put("type", "resource");
                    m.put("uri", r.uri());
                    m.put("mime_type", r.mimeType());
                    if (r.text() != null) {
                        m.put("text", r.text());
                    } else {
                        m.put("blob", r.blobBase64());
                    }
                }
                case McpContent.ResourceLink l -> {
                    m.put("type", "resource_link");
                    m.put("uri", l.uri());
                    m.put("name", l.name());
                    m.put("title", l.title());
                    m.put("description", l.description());
                    m.put("mime_type", l.mimeType());
                }
            }
            blocks.add(m);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(CONTENT, blocks);
        meta.put(STRUCTURED, structuredJson);
        meta.put(TOOL_ERROR, toolError);
        String text = render();
        return new ToolResult(!toolError, text, toolError ? "the MCP tool reported an error" : "", null, false, meta);
    }

    /** Back from the stored form; null when {@code r} holds no MCP answer (a failure). */
    public static McpCallResult fromToolResult(ToolResult r) {
        Object raw = r.metadata().get(CONTENT);
        if (!(raw instanceof List<?> list)) {
            return null;
        }
        List<McpContent> content = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            String type = str(m, "type");
            content.add(switch (type == null ? "" : type) {
                case "image" -> new McpContent.Image(str(m, "mime_type"), str(m, "data"));
                case "audio" -> new McpContent.Audio(str(m, "mime_type"), str(m, "data"));
                case "resource" -> new McpContent.Resource(str(m, "uri"), str(m, "mime_type"), str(m, "text"),
                        str(m, "blob"));
                case "resource_link" -> new McpContent.ResourceLink(str(m, "uri"), str(m, "name"), str(m, "title"),
                        str(m, "description"), str(m, "mime_type"));
                default -> new McpContent.Text(String.valueOf(m.get("text")));
            });
        }
        Object structured = r.metadata().get(STRUCTURED);
        return new McpCallResult(content, structured == null ? "" : structured.toString(),
                Boolean.TRUE.equals(r.metadata().get(TOOL_ERROR)));
    }

    /** Text blocks as they are, other blocks as one bracketed line each (logs, and callers that want text only). */
    public String render() {
        StringBuilder b = new StringBuilder();
        for (McpContent c : content) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            switch (c) {
                case McpContent.Text t -> b.append(t.text());
                case McpContent.Image i -> b.append("[image ").append(i.mimeType()).append(", ")
                        .append(i.base64().length() * 3 / 4).append(" bytes]");
                case McpContent.Audio a -> b.append("[audio ").append(a.mimeType()).append(", ")
                        .append(a.base64().length() * 3 / 4).append(" bytes]");
                case McpContent.Resource res -> b.append("[resource ").append(res.uri()).append(" ")
                        .append(res.mimeType() == null ? "" : res.mimeType()).append("]")
                        .append(res.text() != null ? "\n" + res.text() : "");
                case McpContent.ResourceLink l -> b.append("[resource link ").append(l.uri()).append(" ")
                        .append(l.name() == null ? "" : l.name()).append("]");
            }
        }
        return b.toString();
    }

    private static String str(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }
}
