package run.codetether.tools.domain.tool;

import run.codetether.tools.domain.ToolResult;

/** multiedit: several exact replacements across files, all applied or none (any failing edit changes nothing). */
public final class MultiEditTool implements Tool, Previewable {

    static final String EDITS_SCHEMA = """
            "edits":{"type":"array","minItems":1,"description":"Array of edit operations to apply","items":{
            "type":"object","properties":{
            "file":{"type":"string","description":"Path to the file to edit"},
            "old_string":{"type":"string","description":"The exact string to find and replace"},
            "new_string":{"type":"string","description":"The string to replace it with"}},
            "required":["file","old_string","new_string"]}}""";

    private final EditSupport edits;

    public MultiEditTool(EditSupport edits) {
        this.edits = edits;
    }

    @Override
    public String name() {
        return "multiedit";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "multiedit(edits: [{file, old_string, new_string}]) - Apply several exact replacements atomically:"
                + " if any edit fails, no file is changed.";
    }

    @Override
    public String parametersSchema() {
        return "{\"type\":\"object\",\"properties\":{" + EDITS_SCHEMA + "},\"required\":[\"edits\"]}";
    }

    @Override
    public String preview(ToolCall call) {
        return edits.plan(call.session(), call.args().requireArray("edits"), name()).diffText();
    }

    @Override
    public ToolResult execute(ToolCall call) {
        var list = call.args().requireArray("edits");
        var plan = edits.plan(call.session(), list, name());
        edits.commit(call.session(), plan, name(), list.size() + " edits in " + plan.after().size() + " file(s)");
        return EditSupport.applied("Applied " + list.size() + " edits to " + plan.after().size() + " file(s)", plan)
                .withMetadata("success_count", list.size());
    }
}
