package run.codetether.tools.domain.tool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.edit.LineDiff;
import run.codetether.tools.domain.workspace.EditHistory;

/** write_file: creates or replaces a file atomically (parents created), recorded for undo. */
public final class WriteFileTool implements Tool, Previewable {

    private final EditSupport edits;

    public WriteFileTool(EditSupport edits) {
        this.edits = edits;
    }

    @Override
    public String name() {
        return "write_file";
    }

    @Override
    public List<String> aliases() {
        return List.of("write");
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "write_file(path: string, content: string) - Write content to a file (created or replaced atomically;"
                + " parent directories are created).";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "path":{"type":"string","description":"The path to the file to write"},
                "content":{"type":"string","description":"The content to write to the file"}},
                "required":["path","content"],"additionalProperties":false}""";
    }

    @Override
    public String preview(ToolCall call) {
        String raw = call.args().requireString("path");
        String content = call.args().requireString("content");
        Path p = call.session().paths().resolve(raw);
        String shown = call.session().paths().display(p);
        if (Files.isDirectory(p)) {
            throw ToolException.invalid(shown + " is a directory");
        }
        String before = Files.exists(p) ? edits.store().readText(p, shown) : "";
        return LineDiff.unified(shown, before == null ? "" : before, content).text();
    }

    @Override
    public ToolResult execute(ToolCall call) {
        String raw = call.args().requireString("path");
        String content = call.args().requireString("content");
        Path p = call.session().paths().resolve(raw);
        String shown = call.session().paths().display(p);
        if (Files.isDirectory(p)) {
            throw ToolException.invalid(shown + " is a directory");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > edits.store().maxTextBytes()) {
            throw new ToolException(ToolException.Code.TOO_LARGE, "content is " + bytes.length + " bytes, above the "
                    + edits.store().maxTextBytes() + "-byte limit");
        }
        boolean existed = Files.exists(p);
        var snaps = edits.store().commit(Map.of(p, bytes));
        call.session().history().push(new EditHistory.Entry(name(), (existed ? "replaced " : "created ") + shown, snaps));
        return ToolResult.success((existed ? "Wrote " : "Created ") + shown + " (" + bytes.length + " bytes)",
                Map.of("path", shown, "bytes", bytes.length, "created", !existed));
    }
}
