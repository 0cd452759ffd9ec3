package run.codetether.agent.domain.dispatch;

import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * A tool call's arguments as the client is shown them when the call starts (the dashboard's timeline, the TUI's tool
 * line): the JSON value itself, or, when it is long (a whole file written), its first characters as a string, so
 * one call never puts a large record on the events topic twice.
 */
public final class ShownArguments {
    static final int MAX_CHARS = 2_000;

    private ShownArguments() {}

    public static Map<String, Object> of(ToolInvocation call) {
        String raw = call.call().argumentsJson();
        if (raw == null || raw.isBlank()) {
            return Map.of();
        }
        if (raw.length() > MAX_CHARS) {
            return Map.of(MetadataKeys.ARGUMENTS, raw.substring(0, MAX_CHARS) + "… (" + raw.length() + " characters)");
        }
        return Map.of(MetadataKeys.ARGUMENTS, call.arguments() == null ? raw : call.arguments());
    }
}
