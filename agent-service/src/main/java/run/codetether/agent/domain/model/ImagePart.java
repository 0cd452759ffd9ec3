package run.codetether.agent.domain.model;

import java.util.Set;

/**
 * An image a tool returned (an MCP server's image content or image blob), kept as the protocol's base64 so it reaches
 * a vision model as an image part unchanged.
 */
public record ImagePart(String mimeType, String base64) {

    /** The image types every vision provider takes (OpenAI, Anthropic, Gemini, Bedrock). */
    public static final Set<String> SENDABLE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    /**
     * Largest image sent (Anthropic takes 5 MB, but a session is saved as one Kafka record of at most 8 MiB, base64
     * included); a larger one stays a text line.
     */
    public static final int MAX_BYTES = 1024 * 1024;

    /** Image bytes a session keeps in all; older tool results lose theirs first (their text still names them). */
    public static final long SESSION_BYTES = 3L * 1024 * 1024;

    /**
     * Rough context cost in characters: providers scale an image to at most about 1,600 tokens, which is ~6,400
     * characters at the estimator's 4 characters a token.
     */
    static final int SIZE_CHARS = 6_400;

    public ImagePart {
        if (mimeType == null || base64 == null) {
            throw new IllegalArgumentException("an image part needs a mime type and data");
        }
    }

    /** Decoded size in bytes (from the base64 length). */
    public long bytes() {
        int pad = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return base64.length() * 3L / 4 - pad;
    }

    /** Whether a vision model can be sent this image (a known type, within the size limit). */
    public static boolean sendable(String mimeType, long bytes) {
        return mimeType != null && SENDABLE.contains(mimeType.toLowerCase(java.util.Locale.ROOT)) && bytes > 0
                && bytes <= MAX_BYTES;
    }

    /**
     * Drops the images of the oldest tool results in {@code messages} until those left hold at most
     * {@link #SESSION_BYTES}, so the saved session stays within its record size; the newest images are the ones kept.
     */
    public static void keepNewest(java.util.List<ChatMessage> messages) {
        long total = 0;
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.ToolResult r && !r.images().isEmpty()) {
                long bytes = r.images().stream().mapToLong(ImagePart::bytes).sum();
                if (total + bytes > SESSION_BYTES) {
                    messages.set(i, new ChatMessage.ToolResult(r.callId(), r.toolName(), r.content(), r.error()));
                } else {
                    total += bytes;
                }
            }
        }
    }
}
