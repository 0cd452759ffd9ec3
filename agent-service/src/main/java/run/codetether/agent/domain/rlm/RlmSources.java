package run.codetether.agent.domain.rlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.platform.json.Json;

/**
 * Loads the files an RLM run analyses, only through tools-service in the task's workspace (no host access):
 * {@code read_file} page by page (tools-service caps one read; its {@code total_lines}/{@code read_lines} metadata
 * says where to continue, and its "N | " line numbers are stripped), and a directory through {@code glob}. Call
 * keys are derived from the calling tool call's id, so a resumed run replays the same reads.
 */
final class RlmSources {
    private static final ObjectMapper JSON = Json.mapper();
    static final int PAGE_LINES = 50_000;
    static final int MAX_DIRECTORY_FILES = 500;

    /** One loaded path: its text, or why it could not be read. */
    record Loaded(String path, String text, String error) {}

    private final LoopAccess loop;
    private final String keyPrefix;
    private final int maxChars;
    private int loadedChars;

    RlmSources(LoopAccess loop, String keyPrefix, int maxChars) {
        this.loop = loop;
        this.keyPrefix = keyPrefix;
        this.maxChars = maxChars;
    }

    /** Thrown when the paths hold more than max-content-chars. */
    static final class TooLarge extends Exception {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** The path as files: a file gives one entry, a directory one per file under it. */
    List<Loaded> load(String path) throws InterruptedException, TooLarge {
        Loaded one = readFile(path);
        if (one.error() == null || !one.error().contains("is a directory")) {
            return List.of(one);
        }
        String dir = path.replaceAll("/+$", "");
        String pattern = dir.isEmpty() || dir.equals(".") ? "**/*" : dir + "/**/*";
        ToolExecutor.Outcome listing = loop.tool(keyPrefix + ":glob:" + pattern, "glob",
                json("pattern", pattern, "limit", MAX_DIRECTORY_FILES));
        if (!listing.ok()) {
            return List.of(new Loaded(path, null, "cannot list directory: " + listing.error()));
        }
        List<Loaded> out = new ArrayList<>();
        for (String file : listing.output().split("\n")) {
            if (!file.isBlank()) {
                out.add(readFile(file.trim()));
            }
        }
        return out.isEmpty() ? List.of(new Loaded(path, null, "the directory has no files")) : out;
    }

    private Loaded readFile(String path) throws InterruptedException, TooLarge {
        StringBuilder text = new StringBuilder();
        long offset = 1;
        while (true) {
            ToolExecutor.Outcome page = loop.tool(keyPrefix + ":read:" + path + ":" + offset, "read_file",
                    json("path", path, "offset", offset, "limit", PAGE_LINES));
            if (!page.ok()) {
                return new Loaded(path, null, page.error() == null || page.error().isBlank() ? "read failed" : page.error());
            }
            JsonNode meta = metadata(page.metadataJson());
            if (!meta.has("read_lines") || !meta.has("total_lines")) {
                append(text, page.output()); // a tools-service without paging metadata: the output is the file
                return new Loaded(path, text.toString(), null);
            }
            long read = meta.path("read_lines").asLong();
            long total = meta.path("total_lines").asLong();
            String[] lines = page.output().split("\n", -1);
            for (int i = 0; i < read && i < lines.length; i++) {
                String l = lines[i];
                int bar = l.indexOf(" | ");
                boolean numbered = bar > 0 && l.substring(0, bar).trim().chars().allMatch(Character::isDigit);
                append(text, (numbered ? l.substring(bar + 3) : l) + "\n");
            }
            offset += read;
            if (read <= 0 || offset > total) {
                return new Loaded(path, text.toString(), null);
            }
            loop.checkStop();
        }
    }

    private void append(StringBuilder text, String s) throws TooLarge {
        loadedChars += s.length();
        if (loadedChars > maxChars) {
            throw new TooLarge("the content is larger than codetether.agent.rlm.max-content-chars (" + maxChars
                    + " chars); name fewer or smaller paths");
        }
        text.append(s);
    }

    private static JsonNode metadata(String json) {
        try {
            return json == null || json.isBlank() ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static String json(Object... kv) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            node.putPOJO((String) kv[i], kv[i + 1]);
        }
        return node.toString();
    }
}
