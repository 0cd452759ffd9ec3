package run.codetether.tools.domain.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.ToolResult;

/** list_dir: sorted entries, directories with '/', symlinks with '@' (as the original). */
public final class ListDirTool implements Tool {

    private static final int MAX_ENTRIES = 5000;

    @Override
    public String name() {
        return "list_dir";
    }

    @Override
    public List<String> aliases() {
        return List.of("list");
    }

    @Override
    public String description() {
        return "list_dir(path: string) - List a directory: directories end with '/', symlinks with '@'.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "path":{"type":"string","description":"The path to the directory to list (\\".\\" for the workspace root)"}},
                "required":["path"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        Path dir = call.session().paths().resolve(call.args().string("path").orElse("."));
        String shown = call.session().paths().display(dir);
        if (!Files.exists(dir)) {
            throw new ToolException(Code.NOT_FOUND, "directory not found: " + shown);
        }
        if (!Files.isDirectory(dir)) {
            throw ToolException.invalid(shown + " is a file, not a directory; use read_file");
        }
        List<String> items = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (Files.isSymbolicLink(p)) {
                    items.add(n + "@");
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    items.add(n + "/");
                } else {
                    items.add(n);
                }
            });
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot list " + shown + ": " + e.getMessage(), e);
        }
        items.sort(null);
        boolean truncated = items.size() > MAX_ENTRIES;
        List<String> shownItems = truncated ? items.subList(0, MAX_ENTRIES) : items;
        String out = String.join("\n", shownItems) + (truncated ? "\n[" + items.size() + " entries, first "
                + MAX_ENTRIES + " shown]" : "");
        return new ToolResult(true, out, "", null, truncated, Map.of("count", items.size()));
    }
}
