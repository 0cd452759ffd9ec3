package run.codetether.tools.domain.tool;

import java.util.Map;
import run.codetether.tools.domain.ToolResult;

/** confirm_multiedit: preview several edits as diffs; confirm=true applies all (or none), confirm=false rejects. */
public final class ConfirmMultiEditTool implements Tool, Previewable {

    private final EditSupport edits;

    public ConfirmMultiEditTool(EditSupport edits) {
        this.edits = edits;
    }

    @Override
    public String name() {
        return "confirm_multiedit";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "confirm_multiedit(edits: [{file, old_string, new_string}], confirm?) - Preview several edits as diffs;"
                + " call again with confirm=true to apply all of them or confirm=false to reject all.";
    }

    @Override
    public String parametersSchema() {
        return "{\"type\":\"object\",\"properties\":{" + MultiEditTool.EDITS_SCHEMA + ",\"confirm\":{\"type\":"
                + "\"boolean\",\"description\":\"Set to true to confirm and apply all changes, false to reject all\"}},"
                + "\"required\":[\"edits\"]}";
    }

    @Override
    public String preview(ToolCall call) {
        return edits.plan(call.session(), call.args().requireArray("edits"), name()).diffText();
    }

    @Override
    public ToolResult execute(ToolCall call) {
        var list = call.args().requireArray("edits");
        var confirm = call.args().bool("confirm");
        var plan = edits.plan(call.session(), list, name());
        if (confirm.isEmpty()) {
            return EditSupport.preview(plan);
        }
        if (!confirm.get()) {
            return ToolResult.success("All changes rejected; no file was modified", Map.of("rejected", true));
        }
        edits.commit(call.session(), plan, name(), list.size() + " edits in " + plan.after().size() + " file(s)");
        return EditSupport.applied("Applied " + list.size() + " edits to " + plan.after().size() + " file(s)", plan);
    }
}
