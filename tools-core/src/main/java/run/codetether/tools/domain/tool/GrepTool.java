package run.codetether.tools.domain.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import run.codetether.tools.domain.Args;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.search.GrepEngine;
import run.codetether.tools.domain.search.GrepMatch;
import run.codetether.tools.domain.search.GrepQuery;
import run.codetether.tools.domain.workspace.PathPolicy;

/**
 * grep: search file contents (literal by default, regex with is_regex), include/exclude globs, context lines.
 * Output lines are {@code path:line: text} as the original; context lines use {@code path-line- text}.
 */
public final class GrepTool implements Tool {

    private final GrepEngine engine;

    public GrepTool(GrepEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "grep";
    }

    @Override
    public String description() {
        return "grep(pattern: string, path?: string, is_regex?: bool, include?: string, exclude?: string,"
                + " context_lines?: int, case_sensitive?: bool, limit?: int) - Search file contents.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "pattern":{"type":"string","description":"The text or regex pattern to search for"},
                "path":{"type":"string","description":"Directory or file to search in (default: workspace root)"},
                "is_regex":{"type":"boolean","description":"Whether the pattern is a regex (default: false)"},
                "include":{"type":"string","description":"Glob pattern(s) of files to include, comma-separated (e.g., *.rs)"},
                "exclude":{"type":"string","description":"Glob pattern(s) of files or directories to skip, comma-separated"},
                "context_lines":{"type":"integer","minimum":0,"maximum":20,"description":"Lines of context before and after each match (default 0)"},
                "case_sensitive":{"type":"boolean","description":"Match case (default: true)"},
                "limit":{"type":"integer","minimum":1,"description":"Maximum number of matches to return (default 100)"}},
                "required":["pattern"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        Args a = call.args();
        String pattern = a.requireString("pattern");
        boolean regex = a.bool("is_regex", false);
        boolean caseSensitive = a.bool("case_sensitive", true);
        int context = (int) a.integer("context_lines", 0, 0, 20);
        int limit = (int) a.integer("limit", 100, 1, 10_000);
        var r = search(engine, call.session().paths(), a, pattern, regex, caseSensitive, context, limit, "include");
        List<String> out = new ArrayList<>();
        for (GrepMatch m : r.matches()) {
            String f = call.session().paths().display(m.file());
            m.before().forEach(l -> out.add(f + "-" + l.number() + "- " + l.text()));
            out.add(f + ":" + m.line() + ": " + m.text());
            m.after().forEach(l -> out.add(f + "-" + l.number() + "- " + l.text()));
            if (context > 0) {
                out.add("--");
            }
        }
        String text = out.isEmpty() ? "No matches found for pattern: " + pattern : String.join("\n", out);
        if (r.truncated()) {
            text += "\n[more than " + limit + " matches; showing " + limit + ". Narrow the search or raise limit]";
        }
        return new ToolResult(true, text, "", null, r.truncated(), Map.of("count", r.matches().size(), "truncated",
                r.truncated(), "files_searched", r.filesSearched()));
    }

    /** Shared by grep and codesearch: validates the arguments and runs the engine. */
    static GrepEngine.Result search(GrepEngine engine, PathPolicy paths, Args a, String pattern, boolean regex,
            boolean caseSensitive, int context, int limit, String includeKey) {
        if (pattern.isEmpty()) {
            throw ToolException.invalid(a.tool() + ": 'pattern' must not be empty");
        }
        try {
            Pattern.compile(regex ? pattern : Pattern.quote(pattern));
        } catch (PatternSyntaxException e) {
            throw ToolException.invalid(a.tool() + ": invalid regex: " + e.getDescription() + " near index "
                    + e.getIndex() + " in '" + pattern + "'");
        }
        Path root = paths.resolve(a.string("path").orElse("."));
        if (!Files.exists(root)) {
            throw new ToolException(ToolException.Code.NOT_FOUND, "path not found: " + paths.display(root));
        }
        List<String> include = globs(a.string(includeKey).orElse(""));
        List<String> exclude = globs(a.string("exclude").orElse(""));
        try {
            return engine.search(GrepQuery.of(pattern, regex, caseSensitive, root, include, exclude, context, limit));
        } catch (IllegalArgumentException e) {
            throw ToolException.invalid(a.tool() + ": invalid glob: " + e.getMessage());
        }
    }

    static List<String> globs(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
