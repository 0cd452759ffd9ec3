package run.codetether.tools.domain.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.Args;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.search.GrepEngine;
import run.codetether.tools.domain.search.GrepMatch;

/**
 * codesearch: regex search for code with context blocks (default 2 lines, case-insensitive), grouped per match as
 * {@code path:line} followed by the numbered context, as the original prints it.
 */
public final class CodeSearchTool implements Tool {

    private static final int MAX_RESULTS = 50;
    private final GrepEngine engine;

    public CodeSearchTool(GrepEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "codesearch";
    }

    @Override
    public String description() {
        return "codesearch(pattern: string, path?: string, file_pattern?: string, context_lines?: int,"
                + " case_sensitive?: bool) - Search code (regex) and show each match with surrounding lines.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "pattern":{"type":"string","description":"Search pattern (regex supported)"},
                "path":{"type":"string","description":"Subdirectory to search in"},
                "file_pattern":{"type":"string","description":"Glob pattern for files (e.g., *.rs)"},
                "context_lines":{"type":"integer","default":2,"minimum":0,"maximum":10,"description":"Lines of context"},
                "case_sensitive":{"type":"boolean","default":false}},
                "required":["pattern"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        Args a = call.args();
        String pattern = a.requireString("pattern");
        int context = (int) a.integer("context_lines", 2, 0, 10);
        boolean cs = a.bool("case_sensitive", false);
        GrepEngine.Result r = GrepTool.search(engine, call.session().paths(), a, pattern, true, cs, context,
                MAX_RESULTS, "file_pattern");
        if (r.matches().isEmpty()) {
            return ToolResult.success("No matches found for pattern: " + pattern, Map.of("match_count", 0));
        }
        List<String> blocks = new ArrayList<>();
        for (GrepMatch m : r.matches()) {
            StringBuilder b = new StringBuilder(call.session().paths().display(m.file())).append(':').append(m.line());
            m.before().forEach(l -> b.append('\n').append(String.format("%5d   %s", l.number(), l.text())));
            b.append('\n').append(String.format("%5d > %s", m.line(), m.text()));
            m.after().forEach(l -> b.append('\n').append(String.format("%5d   %s", l.number(), l.text())));
            blocks.add(b.toString());
        }
        String head = r.truncated() ? "Found more than " + MAX_RESULTS + " matches (showing first " + MAX_RESULTS
                + "):\n\n" : "Found " + r.matches().size() + " matches:\n\n";
        return new ToolResult(true, head + String.join("\n\n", blocks), "", null, r.truncated(),
                Map.of("match_count", r.matches().size()));
    }
}
