package run.codetether.tools.domain.mcp;

/**
 * One content block of an MCP tool result, kept as the server sent it (binary data as the protocol's base64 text;
 * the gRPC edge decodes it to bytes).
 */
public sealed interface McpContent {

    record Text(String text) implements McpContent {}

    record Image(String mimeType, String base64) implements McpContent {}

    record Audio(String mimeType, String base64) implements McpContent {}

    /** An embedded resource: exactly one of {@code text} and {@code blobBase64} is non-null. */
    record Resource(String uri, String mimeType, String text, String blobBase64) implements McpContent {}

    record ResourceLink(String uri, String name, String title, String description, String mimeType)
            implements McpContent {}

    /** Characters this block holds (text, or base64 data), for the result size cap. */
    default long size() {
        return switch (this) {
            case Text t -> t.text().length();
            case Image i -> i.base64().length();
            case Audio a -> a.base64().length();
            case Resource r -> (r.text() == null ? 0 : r.text().length()) + (r.blobBase64() == null ? 0
                    : r.blobBase64().length());
            case ResourceLink l -> l.uri().length();
        };
    }
}
