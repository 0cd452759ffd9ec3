package run.codetether.tools.domain.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.workspace.EditHistory;
import run.codetether.tools.domain.workspace.FileSnapshot;

/**
 * undo: reverts the last {@code steps} file changes this session made through the tools (write_file, edit,
 * multiedit, apply_patch, confirm_*). The original reverted git commits; here the session's own edit history is
 * the record, so it works in any workspace, git or not. Changes made by bash are not tracked.
 */
public final class UndoTool implements Tool {

    private final EditSupport edits;

    public UndoTool(EditSupport edits) {
        this.edits = edits;
    }

    @Override
    public String name() {
        return "undo";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "undo(steps?: int, preview?: bool) - Undo the last file changes made by this session's edit tools"
                + " (newest first).";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "steps":{"type":"integer","minimum":1,"maximum":10,"default":1,"description":"Number of changes to undo"},
                "preview":{"type":"boolean","default":false,"description":"Show what would be undone without actually doing it"}},
                "additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        int steps = (int) call.args().integer("steps", 1, 1, 10);
        boolean preview = call.args().bool("preview", false);
        EditHistory h = call.session().history();
        if (h.size() == 0) {
            throw new ToolException(Code.NOT_FOUND, "nothing to undo: this session has made no file changes");
        }
        List<EditHistory.Entry> entries = preview ? h.peek(steps) : h.pop(steps);
        List<String> lines = new ArrayList<>();
        for (EditHistory.Entry e : entries) {
            lines.add(e.tool() + ": " + e.summary());
            if (!preview) {
                for (FileSnapshot s : e.snapshots().reversed()) {
                    edits.store().restore(s);
                }
            }
        }
        String head = preview ? "Would undo " : "Undid ";
        return ToolResult.success(head + entries.size() + " change(s):\n" + String.join("\n", lines),
                Map.of("undone", preview ? 0 : entries.size(), "preview", preview, "remaining", h.size()));
    }
}
