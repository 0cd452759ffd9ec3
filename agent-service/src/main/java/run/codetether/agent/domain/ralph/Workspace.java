package run.codetether.agent.domain.ralph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.port.ToolExecutor;

/**
 * The files and commands Ralph and prd use, through tools-service (never the agent's own disk). Every call carries
 * a stable key, so a resumed run gets the stored result of a call that already ran instead of running it again.
 * Files are read with {@code bash cat} because read_file numbers and cuts lines.
 */
final class Workspace {
    /** Printed instead of the content when the file does not exist. */
    private static final String MISSING = "__CODETETHER_NO_SUCH_FILE__";

    private final LoopAccess loop;

    Workspace(LoopAccess loop) {
        this.loop = loop;
    }

    /** The file's text, empty when it does not exist; a failed read throws with tools-service's reason. */
    Optional<String> read(String key, String path) throws InterruptedException, PrdException {
        String q = quote(path);
        ToolExecutor.Outcome out = bash(key, "if [ -e " + q + " ]; then cat -- " + q + "; else printf '%s' '" + MISSING
                + "'; fi", null);
        if (out.output() != null && out.output().equals(MISSING)) {
            return Optional.empty();
        }
        if (!out.ok()) {
            throw new PrdException("could not read " + path + ": " + reason(out));
        }
        if (out.output().contains("\n[Output truncated:")) {
            throw new PrdException(path + " is larger than tools-service returns from one command; it cannot be read whole");
        }
        return Optional.of(out.output());
    }

    /** The last {@code maxChars} characters of a text file (empty when it does not exist). */
    String tail(String key, String path, int maxChars) throws InterruptedException {
        String q = quote(path);
        ToolExecutor.Outcome out = bash(key, "if [ -e " + q + " ]; then tail -c " + maxChars + " -- " + q + "; fi", null);
        return out.ok() && out.output() != null ? out.output() : "";
    }

    void write(String key, String path, String content) throws InterruptedException, PrdException {
        ObjectNode args = PrdFile.JSON.createObjectNode().put("path", path).put("content", content);
        ToolExecutor.Outcome out = loop.tool(key, "write_file", args.toString());
        if (!out.ok()) {
            throw new PrdException("could not write " + path + ": " + reason(out));
        }
    }

    /** Appends text (shipped as base64, so no quoting of the content can break the command). */
    void append(String key, String path, String text) throws InterruptedException, PrdException {
        String b64 = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        String dir = parent(path);
        String mk = dir.equals(".") ? "" : "mkdir -p -- " + quote(dir) + " && ";
        ToolExecutor.Outcome out = bash(key, mk + "printf '%s' '" + b64 + "' | base64 -d >> " + quote(path), null);
        if (!out.ok()) {
            throw new PrdException("could not append to " + path + ": " + reason(out));
        }
    }

    /** A shell command in {@code dir} (relative to the workspace) with a timeout. */
    ToolExecutor.Outcome run(String key, String dir, String command, Duration timeout) throws InterruptedException {
        String cd = dir.equals(".") ? "" : "cd -- " + quote(dir) + " && ";
        return bash(key, cd + command, timeout);
    }

    private ToolExecutor.Outcome bash(String key, String command, Duration timeout) throws InterruptedException {
        ObjectNode args = PrdFile.JSON.createObjectNode().put("command", command);
        if (timeout != null) {
            args.put("timeout", Math.max(1, timeout.toSeconds()));
        }
        return loop.tool(key, "bash", args.toString());
    }

    static String reason(ToolExecutor.Outcome out) {
        String err = out.error() == null || out.error().isBlank() ? "failed" : out.error();
        String output = out.output() == null ? "" : out.output().strip();
        return output.isEmpty() ? err : err + "\n" + output;
    }

    /** The directory of a workspace-relative path ({@code .} for a bare file name). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : ".") : path.substring(0, slash);
    }

    /** The directory's file {@code name}. */
    static String sibling(String path, String name) {
        String dir = parent(path);
        return dir.equals(".") ? name : dir + "/" + name;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
