package run.codetether.tools.domain.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.Args;
import run.codetether.tools.domain.Session;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.edit.LineDiff;
import run.codetether.tools.domain.edit.TextEdits;
import run.codetether.tools.domain.workspace.EditHistory;
import run.codetether.tools.domain.workspace.FileStore;

/**
 * Shared planning for edit-like tools: every change is computed in memory first (so any error leaves every file
 * untouched), then committed all at once and recorded in the session's history for undo.
 */
public final class EditSupport {

    /** New contents per file plus the preview diff of each. */
    public record Plan(Map<Path, String> before, Map<Path, String> after, List<Map<String, Object>> previews,
            int added, int removed) {

        public String diffText() {
            StringBuilder sb = new StringBuilder();
            previews.forEach(p -> sb.append(p.get("diff")));
            return sb.toString().strip();
        }
    }

    private final FileStore store;

    public EditSupport(FileStore store) {
        this.store = store;
    }

    public FileStore store() {
        return store;
    }

    /** Plans the single edit of an edit / confirm_edit call ({@code path, old_string, new_string}). */
    public Plan planSingle(Session s, Args a, String tool) {
        var one = JsonNodeFactory.instance.objectNode()
                .put("file", a.requireString("path"))
                .put("old_string", a.requireString("old_string"))
                .put("new_string", a.requireString("new_string"));
        return plan(s, JsonNodeFactory.instance.arrayNode().add(one), tool);
    }

    /** Plans a list of {file|path, old_string, new_string} edits, applied in order (several may hit one file). */
    public Plan plan(Session s, JsonNode edits, String tool) {
        Map<Path, String> before = new LinkedHashMap<>();
        Map<Path, String> after = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode e : edits) {
            i++;
            String where = tool + ": edit #" + i;
            if (!e.isObject()) {
                throw ToolException.invalid(where + " must be an object with file, old_string and new_string");
            }
            String file = text(e, "file", where, e.has("path") ? "path" : null);
            String oldS = text(e, "old_string", where, null);
            String newS = text(e, "new_string", where, null);
            Path p = s.paths().resolve(file);
            String shown = s.paths().display(p);
            if (!after.containsKey(p)) {
                String content = store.readText(p, shown);
                before.put(p, content);
                after.put(p, content);
            }
            try {
                after.put(p, TextEdits.replaceUnique(after.get(p), oldS, newS, shown));
            } catch (ToolException ex) {
                throw new ToolException(ex.code(), "edit #" + i + " failed, no file was changed: " + ex.getMessage());
            }
        }
        return diff(s, before, after);
    }

    public Plan diff(Session s, Map<Path, String> before, Map<Path, String> after) {
        List<Map<String, Object>> previews = new ArrayList<>();
        int added = 0;
        int removed = 0;
        for (var e : after.entrySet()) {
            String shown = s.paths().display(e.getKey());
            var d = LineDiff.unified(shown, before.getOrDefault(e.getKey(), ""),
                    e.getValue() == null ? "" : e.getValue());
            added += d.added();
            removed += d.removed();
            previews.add(Map.of("file", shown, "diff", d.text(), "added_lines", d.added(), "removed_lines",
                    d.removed()));
        }
        return new Plan(before, after, previews, added, removed);
    }

    /** Writes every planned file or none, and records the change for undo. */
    public void commit(Session s, Plan plan, String tool, String summary) {
        Map<Path, byte[]> bytes = new LinkedHashMap<>();
        plan.after().forEach((p, c) -> bytes.put(p, c == null ? null : c.getBytes(StandardCharsets.UTF_8)));
        var snaps = store.commit(bytes);
        s.history().push(new EditHistory.Entry(tool, summary, snaps));
    }

    public static ToolResult applied(String message, Plan plan) {
        return ToolResult.success(message + "\n\n" + plan.diffText(), Map.of("files", plan.previews().stream()
                .map(m -> m.get("file")).toList(), "added_lines", plan.added(), "removed_lines", plan.removed(),
                "diff", plan.diffText()));
    }

    public static ToolResult preview(Plan plan) {
        return ToolResult.success("Changes require confirmation:\n\n" + plan.diffText()
                + "\n\nCall again with confirm=true to apply or confirm=false to reject.",
                Map.of("requires_confirmation", true, "previews", plan.previews(), "total_files",
                        plan.previews().size(), "total_added", plan.added(), "total_removed", plan.removed()));
    }

    private static String text(JsonNode e, String name, String where, String alias) {
        JsonNode n = e.get(name);
        if ((n == null || n.isNull()) && alias != null) {
            n = e.get(alias);
        }
        if (n == null || !n.isTextual()) {
            throw ToolException.invalid(where + ": '" + name + "' is required and must be a string");
        }
        return n.asText();
    }
}
