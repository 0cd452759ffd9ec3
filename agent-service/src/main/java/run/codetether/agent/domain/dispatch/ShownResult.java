package run.codetether.agent.domain.dispatch;

import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * A tool call's result as the client is shown it when the call ends (the dashboard's timeline, the TUI's tool line):
 * the text the model read, or its first characters when long (a whole file read), so a large output is not put on
 * the events topic a second time; an error result under its own key, so clients can show it as a failure.
 */
public final class ShownResult {
    static final int MAX_CHARS = 4_000;

    private ShownResult() {}

    public static Map<String, Object> of(String content, boolean error) {
        String text = content == null ? "" : content;
        if (text.length() > MAX_CHARS) {
            text = text.substring(0, MAX_CHARS) + "… (" + content.length() + " characters)";
        }
        return Map.of(error ? MetadataKeys.ERROR : MetadataKeys.RESULT, text);
    }
}
