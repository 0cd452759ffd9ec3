package run.codetether.tools.domain.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import run.codetether.tools.domain.workspace.PathPolicy;

/** Turns LSP results into short text: {@code path:line:col} locations, hover text, completion labels, diagnostics. */
final class LspFormat {

    private LspFormat() {}

    static String format(String action, JsonNode r, PathPolicy paths, Path root) {
        if (r == null || r.isNull() || (r.isArray() && r.isEmpty())) {
            return "No results for " + action;
        }
        List<String> out = new ArrayList<>();
        switch (action) {
            case "hover" -> {
                JsonNode c = r.path("contents");
                if (c.isTextual()) {
                    out.add(c.asText());
                } else if (c.isArray()) {
                    c.forEach(x -> out.add(x.isTextual() ? x.asText() : x.path("value").asText()));
                } else {
                    out.add(c.path("value").asText());
                }
            }
            case "completion" -> {
                JsonNode items = r.isArray() ? r : r.path("items");
                items.forEach(i -> out.add(i.path("label").asText() + (i.has("detail") ? "  " + i.get("detail")
                        .asText() : "")));
            }
            case "diagnostics" -> r.forEach(d -> out.add((d.path("range").path("start").path("line").asInt() + 1) + ":"
                    + (d.path("range").path("start").path("character").asInt() + 1) + " " + severity(d.path(
                            "severity").asInt()) + ": " + d.path("message").asText()));
            case "documentSymbol", "workspaceSymbol" -> symbols(r, out, paths, "");
            default -> (r.isArray() ? r : List.of(r)).forEach(l -> out.add(location(l, paths)));
        }
        if (out.isEmpty()) {
            return "No results for " + action;
        }
        return String.join("\n", out);
    }

    private static void symbols(JsonNode r, List<String> out, PathPolicy paths, String indent) {
        for (JsonNode s : r) {
            String where = s.has("location") ? " " + location(s.get("location"), paths)
                    : " line " + (s.path("range").path("start").path("line").asInt() + 1);
            out.add(indent + s.path("name").asText() + " (kind " + s.path("kind").asInt() + ")" + where);
            if (s.has("children")) {
                symbols(s.get("children"), out, paths, indent + "  ");
            }
        }
    }

    private static String location(JsonNode l, PathPolicy paths) {
        String uri = l.has("targetUri") ? l.get("targetUri").asText() : l.path("uri").asText();
        JsonNode start = (l.has("targetSelectionRange") ? l.get("targetSelectionRange") : l.path("range")).path("start");
        String file;
        try {
            Path p = Path.of(URI.create(uri));
            file = p.startsWith(paths.root()) ? paths.display(p) : p.toString();
        } catch (RuntimeException e) {
            file = uri;
        }
        return file + ":" + (start.path("line").asInt() + 1) + ":" + (start.path("character").asInt() + 1);
    }

    private static String severity(int s) {
        return switch (s) {
            case 1 -> "error";
            case 2 -> "warning";
            case 3 -> "info";
            default -> "hint";
        };
    }
}
