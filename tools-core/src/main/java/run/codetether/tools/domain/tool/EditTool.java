package run.codetether.tools.domain.tool;

import run.codetether.tools.domain.ToolResult;

/** edit: replace one exact, unique occurrence of old_string in a file; otherwise a clear error and no change. */
public final class EditTool implements Tool, Previewable {

    private final EditSupport edits;

    public EditTool(EditSupport edits) {
        this.edits = edits;
    }

    @Override
    public String name() {
        return "edit";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "edit(path: string, old_string: string, new_string: string) - Replace the one exact occurrence of"
                + " old_string (must match exactly, including whitespace, and be unique) with new_string.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "path":{"type":"string","description":"The path to the file to edit"},
                "old_string":{"type":"string","description":"The exact string to replace (must match exactly, including whitespace)"},
                "new_string":{"type":"string","description":"The string to replace old_string with"}},
                "required":["path","old_string","new_string"],"additionalProperties":false}""";
    }

    @Override
    public String preview(ToolCall call) {
        return edits.planSingle(call.session(), call.args(), name()).diffText();
    }

    @Override
    public ToolResult execute(ToolCall call) {
        var plan = edits.planSingle(call.session(), call.args(), name());
        String file = (String) plan.previews().get(0).get("file");
        edits.commit(call.session(), plan, name(), "edited " + file);
        return EditSupport.applied("Edited " + file, plan);
    }
}
