package run.codetether.cli.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A start-up shortcut for config.toml as people write it: {@code [table]} headers and {@code key = "string"},
 * {@code 'string'}, {@code true|false} or number lines, comments and blanks. Anything else (inline tables, arrays,
 * multi-line strings, escapes, dotted keys) answers empty and the caller parses the file with Jackson's TOML parser,
 * so a valid file is never misread; the common file is read without building a TOML mapper before the first frame.
 */
final class FlatToml {
    private static final Pattern TABLE = Pattern.compile("\\[([A-Za-z0-9_-]+)]\\s*(#.*)?");
    private static final Pattern PAIR = Pattern.compile(
            "([A-Za-z0-9_-]+)\\s*=\\s*(\"([^\"\\\\]*)\"|'([^']*)'|(true|false)|(-?[0-9]+(\\.[0-9]+)?))\\s*(#.*)?");

    private FlatToml() {}

    /** table name ("" for the top level) -> key -> value as text; empty when the file needs a full parser. */
    static Optional<Map<String, Map<String, String>>> parse(String text) {
        Map<String, Map<String, String>> out = new HashMap<>();
        String table = "";
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher t = TABLE.matcher(line);
            if (t.matches()) {
                table = t.group(1);
                if (out.containsKey(table)) {
                    return Optional.empty(); // a repeated table is an error the full parser reports
                }
                out.put(table, new HashMap<>());
                continue;
            }
            Matcher p = PAIR.matcher(line);
            if (!p.matches()) {
                return Optional.empty();
            }
            String value = p.group(3) != null ? p.group(3) : p.group(4) != null ? p.group(4)
                    : p.group(5) != null ? p.group(5) : p.group(6);
            if (out.computeIfAbsent(table, k -> new HashMap<>()).put(p.group(1), value) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }
}
