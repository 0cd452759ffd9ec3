package run.codetether.tools.domain.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.edit.UnifiedPatch;

/**
 * apply_patch: a unified diff over one or more files, all-or-nothing: every hunk of every file is applied in
 * memory first; one failing hunk reports which and why, and leaves every file untouched.
 */
public final class ApplyPatchTool implements Tool, Previewable {

    private final EditSupport edits;

    public ApplyPatchTool(EditSupport edits) {
        this.edits = edits;
    }

    @Override
    public String name() {
        return "apply_patch";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "apply_patch(patch: string, dry_run?: bool) - Apply a unified diff (diff -u / git diff format) to the"
                + " workspace. All hunks apply or none; /dev/null creates or deletes files.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "patch":{"type":"string","description":"Unified diff patch content"},
                "dry_run":{"type":"boolean","default":false,"description":"Preview without applying"}},
                "required":["patch"],"additionalProperties":false}""";
    }

    @Override
    public String preview(ToolCall call) {
        return plan(call).diffText();
    }

    @Override
    public ToolResult execute(ToolCall call) {
        boolean dryRun = call.args().bool("dry_run", false);
        var s = call.session();
        var plan = plan(call);
        List<Object> changed = plan.previews().stream().map(m -> m.get("file")).toList();
        if (dryRun) {
            return ToolResult.success("Dry run: the patch applies cleanly to " + changed.size() + " file(s)\n\n"
                    + plan.diffText(), Map.of("files", changed, "dry_run", true));
        }
        edits.commit(s, plan, name(), "patched " + changed);
        return ToolResult.success("Applied patch to " + changed.size() + " file(s): " + String.join(", ",
                changed.stream().map(Object::toString).toList()), Map.of("files", changed, "added_lines",
                plan.added(), "removed_lines", plan.removed()));
    }

    /** Every hunk applied in memory: the new contents, or the refusal of the first hunk that does not apply. */
    private EditSupport.Plan plan(ToolCall call) {
        String patch = call.args().requireString("patch");
        var s = call.session();
        List<UnifiedPatch.FilePatch> files = UnifiedPatch.parse(patch);
        Map<Path, String> before = new LinkedHashMap<>();
        Map<Path, String> after = new LinkedHashMap<>();
        for (var fp : files) {
            Path p = s.paths().resolve(fp.target());
            String shown = s.paths().display(p);
            if (fp.oldPath() == null && Files.exists(p) && !after.containsKey(p)) {
                throw new ToolException(Code.PATCH_FAILED, "patch creates " + shown + " but it already exists");
            }
            if (fp.oldPath() != null && !Files.exists(p) && !after.containsKey(p)) {
                throw new ToolException(Code.PATCH_FAILED, "patch modifies " + shown + " but it does not exist");
            }
            String current = after.containsKey(p) ? after.get(p)
                    : fp.oldPath() == null ? "" : edits.store().readText(p, shown);
            before.putIfAbsent(p, current);
            String updated = UnifiedPatch.apply(fp, current == null ? "" : current);
            if (fp.newPath() == null) {
                if (!updated.isEmpty()) {
                    throw new ToolException(Code.PATCH_FAILED, "patch deletes " + shown
                            + " but its hunks do not remove every line");
                }
                after.put(p, null);
            } else {
                after.put(p, updated);
            }
        }
        return edits.diff(s, before, after);
    }
}
