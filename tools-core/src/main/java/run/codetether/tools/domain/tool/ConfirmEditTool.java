package run.codetether.tools.domain.tool;

import java.util.Map;
import run.codetether.tools.domain.ToolResult;

/** confirm_edit: without confirm, a diff preview (nothing written); confirm=true applies, confirm=false rejects. */
public final class ConfirmEditTool implements Tool, Previewable {

    private final EditSupport edits;

    public ConfirmEditTool(EditSupport edits) {
        this.edits = edits;
    }

    @Override
    public String name() {
        return "confirm_edit";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "confirm_edit(path, old_string, new_string, confirm?) - Preview an edit as a diff; call again with"
                + " confirm=true to apply it or confirm=false to reject it.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "path":{"type":"string","description":"The path to the file to edit"},
                "old_string":{"type":"string","description":"The exact string to replace"},
                "new_string":{"type":"string","description":"The string to replace with"},
                "confirm":{"type":"boolean","description":"Set to true to confirm and apply changes, false to reject"}},
                "required":["path","old_string","new_string"],"additionalProperties":false}""";
    }

    @Override
    public String preview(ToolCall call) {
        return edits.planSingle(call.session(), call.args(), name()).diffText();
    }

    @Override
    public ToolResult execute(ToolCall call) {
        var a = call.args();
        var confirm = a.bool("confirm");
        var plan = edits.planSingle(call.session(), a, name());
        String file = (String) plan.previews().get(0).get("file");
        if (confirm.isEmpty()) {
            return EditSupport.preview(plan).withMetadata("path", file);
        }
        if (!confirm.get()) {
            return ToolResult.success("Changes rejected; " + file + " was not modified",
                    Map.of("rejected", true, "path", file));
        }
        edits.commit(call.session(), plan, name(), "edited " + file);
        return EditSupport.applied("Changes applied to " + file, plan);
    }
}
