package run.codetether.cli.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import run.codetether.platform.json.Json;

/** Short, one-line forms of tool arguments: {@code command="wc -c hello.txt"}, {@code path=src/A.java}. */
public final class Args {
    private Args() {}

    public static String shortForm(JsonNode args, int max) {
        if (args == null || args.isNull() || args.isMissingNode()) {
            return "";
        }
        if (args.isTextual()) {
            String s = args.asText();
            try {
                JsonNode parsed = Json.mapper().readTree(s);
                if (parsed != null && parsed.isObject()) {
                    return shortForm(parsed, max);
                }
            } catch (IOException notJson) {
                // a plain string argument
            }
            return cut(oneLine(s), max);
        }
        if (!args.isObject()) {
            return cut(oneLine(args.toString()), max);
        }
        StringBuilder s = new StringBuilder();
        Iterator<Map.Entry<String, JsonNode>> it = args.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!s.isEmpty()) {
                s.append(' ');
            }
            JsonNode v = e.getValue();
            String value = v.isTextual() ? v.asText() : v.toString();
            value = oneLine(value);
            boolean quote = v.isTextual() && (value.contains(" ") || value.isEmpty());
            s.append(e.getKey()).append('=').append(quote ? '"' + cut(value, 60) + '"' : cut(value, 60));
            if (s.length() > max) {
                break;
            }
        }
        return cut(s.toString(), max);
    }

    public static String oneLine(String s) {
        return s.replace("\r", "").replace('\n', '⏎').replace('\t', ' ');
    }

    public static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }
}
