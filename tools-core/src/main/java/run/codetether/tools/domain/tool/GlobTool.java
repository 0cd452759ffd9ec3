package run.codetether.tools.domain.tool;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.search.FileWalker;

/** glob: files whose workspace-relative path matches a glob ({@code **}{@code /*.rs}, {@code src/**}{@code /*.ts}). */
public final class GlobTool implements Tool {

    @Override
    public String name() {
        return "glob";
    }

    @Override
    public String description() {
        return "glob(pattern: string, limit?: int) - Find files matching a glob pattern (e.g., **/*.rs, src/**/*.ts)";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "pattern":{"type":"string","description":"The glob pattern to match files"},
                "limit":{"type":"integer","minimum":1,"description":"Maximum number of results to return (default 100)"}},
                "required":["pattern"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        String pattern = call.args().requireString("pattern");
        int limit = (int) call.args().integer("limit", 100, 1, 100_000);
        var paths = call.session().paths();
        if (pattern.startsWith("/")) {
            Path root = paths.root();
            if (!pattern.startsWith(root + "/")) {
                throw new ToolException(ToolException.Code.PATH_REFUSED,
                        "glob pattern '" + pattern + "' is outside the workspace; use a relative pattern");
            }
            pattern = pattern.substring(root.toString().length() + 1);
        }
        if (pattern.contains("..")) {
            throw new ToolException(ToolException.Code.PATH_REFUSED, "glob pattern may not contain '..'");
        }
        try {
            FileWalker.matchers(List.of(pattern));
        } catch (IllegalArgumentException e) {
            throw ToolException.invalid("invalid glob pattern '" + pattern + "': " + e.getMessage());
        }
        List<Path> files = FileWalker.files(paths.root(), List.of(pattern), List.of(), false);
        boolean truncated = files.size() > limit;
        List<String> out = files.stream().limit(limit).map(paths::display).toList();
        return new ToolResult(true, String.join("\n", out), "", null, truncated,
                Map.of("count", out.size(), "truncated", truncated));
    }
}
