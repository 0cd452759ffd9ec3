package run.codetether.tools.domain.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.workspace.FileStore;

/**
 * read_file: numbered lines ({@code "   N | text"} as the original), 1-based offset and a line limit. Streams the
 * file, so a huge file costs only the window read; binary files are refused with their size; long lines are cut.
 */
public final class ReadFileTool implements Tool {

    static final int DEFAULT_LIMIT = 2000;
    static final int MAX_LINE_CHARS = 2000;
    private final int maxOutputChars;

    public ReadFileTool(int maxOutputChars) {
        this.maxOutputChars = maxOutputChars;
    }

    @Override
    public String name() {
        return "read_file";
    }

    @Override
    public List<String> aliases() {
        return List.of("read");
    }

    @Override
    public String description() {
        return "read_file(path: string, offset?: int, limit?: int) - Read a text file with line numbers."
                + " offset is the 1-based first line, limit the number of lines (default " + DEFAULT_LIMIT + ").";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "path":{"type":"string","description":"The path to the file to read"},
                "offset":{"type":"integer","minimum":1,"description":"Line number to start reading from (1-indexed)"},
                "limit":{"type":"integer","minimum":1,"description":"Maximum number of lines to read"}},
                "required":["path"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        var a = call.args();
        String raw = a.requireString("path");
        long offset = a.integer("offset", 1, 1, Integer.MAX_VALUE);
        long limit = a.integer("limit", DEFAULT_LIMIT, 1, Integer.MAX_VALUE);
        Path p = call.session().paths().resolve(raw);
        String shown = call.session().paths().display(p);
        if (!Files.exists(p)) {
            throw new ToolException(Code.NOT_FOUND, "file not found: " + shown);
        }
        if (Files.isDirectory(p)) {
            throw ToolException.invalid(shown + " is a directory; use list_dir");
        }
        try {
            long size = Files.size(p);
            try (InputStream head = Files.newInputStream(p)) {
                if (FileStore.looksBinary(head.readNBytes(8192))) {
                    throw ToolException.invalid(shown + " is a binary file (" + size
                            + " bytes); read_file shows text only (use image for pictures, bash for hexdump)");
                }
            }
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE);
            StringBuilder out = new StringBuilder();
            long total = 0;
            long shownLines = 0;
            boolean truncated = false;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(p), decoder))) {
                String line;
                while ((line = r.readLine()) != null) {
                    total++;
                    if (total < offset || shownLines >= limit || truncated) {
                        continue;
                    }
                    if (line.length() > MAX_LINE_CHARS) {
                        line = line.substring(0, MAX_LINE_CHARS) + "... [line cut at " + MAX_LINE_CHARS + " chars]";
                    }
                    String numbered = String.format("%4d | %s", total, line);
                    if (out.length() + numbered.length() > maxOutputChars) {
                        truncated = true;
                        continue;
                    }
                    if (shownLines > 0) {
                        out.append('\n');
                    }
                    out.append(numbered);
                    shownLines++;
                }
            }
            if (offset > total && total > 0) {
                throw ToolException.invalid("offset " + offset + " is past the end of " + shown + " (" + total
                        + " lines)");
            }
            boolean more = offset - 1 + shownLines < total;
            if (more) {
                out.append("\n\n[").append(shownLines).append(" of ").append(total).append(" lines shown; continue")
                        .append(" with offset=").append(offset + shownLines).append(']');
            }
            return new ToolResult(true, out.toString(), "", null, truncated || more,
                    Map.of("total_lines", total, "read_lines", shownLines, "size_bytes", size));
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot read " + shown + ": " + e.getMessage(), e);
        }
    }
}
