package run.codetether.agent.domain.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name a model sees for an MCP tool: {@code mcp__<server>__<tool>}. Providers accept function names of
 * {@code [A-Za-z0-9_-]{1,64}} (OpenAI's rule, the strictest), so other characters of the tool's name become '_' and a
 * name past 64 characters is cut and ends in a short hash of the original (still unique and stable).
 */
public final class McpToolNames {

    public static final String PREFIX = "mcp__";
    public static final String SEPARATOR = "__";
    static final int MAX = 64;

    private McpToolNames() {}

    public static String of(String server, String tool) {
        String clean = tool.replaceAll("[^A-Za-z0-9_-]", "_");
        String name = PREFIX + server + SEPARATOR + clean;
        if (name.length() <= MAX && clean.equals(tool)) {
            return name;
        }
        String hash = hash(tool);
        String base = name.length() + 7 > MAX ? name.substring(0, MAX - 7) : name;
        return base + "_" + hash;
    }

    public static boolean isMcp(String name) {
        return name != null && name.startsWith(PREFIX);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
