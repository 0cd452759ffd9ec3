package run.codetether.tools.domain.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;

/**
 * bash: runs a command in the session's sandbox. Output streams while it runs; the result holds stdout (then
 * stderr after a {@code --- stderr ---} line, as the original), cut at the cap with a notice, and the exit code.
 * A non-zero exit or a timeout is {@code ok=false}; on timeout the whole process tree has been killed.
 */
public final class BashTool implements Tool {

    private final Sandbox sandbox;
    private final Duration defaultTimeout;
    private final Duration maxTimeout;
    private final int outputCap;
    private final SandboxContext context;

    public BashTool(Sandbox sandbox, Duration defaultTimeout, Duration maxTimeout, int outputCap) {
        this(sandbox, defaultTimeout, maxTimeout, outputCap, SandboxContext.NONE);
    }

    /** @param context the session's read-only binds and egress proxy (SandboxContext.NONE: none) */
    public BashTool(Sandbox sandbox, Duration defaultTimeout, Duration maxTimeout, int outputCap,
            SandboxContext context) {
        this.context = context;
        this.sandbox = sandbox;
        this.defaultTimeout = defaultTimeout;
        this.maxTimeout = maxTimeout;
        this.outputCap = outputCap;
    }

    @Override
    public String name() {
        return "bash";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public boolean streams() {
        return true;
    }

    @Override
    public String description() {
        return "bash(command: string, cwd?: string, timeout?: int) - Run a shell command in the workspace sandbox"
                + " (only the workspace is writable; no network except allow-listed hosts through the egress proxy when"
                + " it is on; git history is read-only). timeout in seconds (default "
                + defaultTimeout.toSeconds() + ", max " + maxTimeout.toSeconds() + ").";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "command":{"type":"string","description":"The shell command to execute"},
                "cwd":{"type":"string","description":"Working directory for the command (optional, inside the workspace)"},
                "timeout":{"type":"integer","minimum":1,"description":"Timeout in seconds (default: %d)"}},
                "required":["command"],"additionalProperties":false}""".formatted(defaultTimeout.toSeconds());
    }

    @Override
    public ToolResult execute(ToolCall call) {
        var a = call.args();
        String command = a.requireString("command");
        if (command.isBlank()) {
            throw ToolException.invalid("bash: 'command' must not be empty");
        }
        var paths = call.session().paths();
        Path cwd = paths.resolve(a.string("cwd").orElse("."));
        if (!Files.isDirectory(cwd)) {
            throw ToolException.invalid("bash: cwd '" + paths.display(cwd) + "' is not a directory in the workspace");
        }
        Duration timeout = a.integer("timeout").map(Duration::ofSeconds).orElse(defaultTimeout);
        if (timeout.isNegative() || timeout.isZero()) {
            throw ToolException.invalid("bash: 'timeout' must be at least 1 second");
        }
        timeout = min(min(timeout, maxTimeout), call.timeout());
        String session = call.session().id();
        long started = System.currentTimeMillis();
        ExecResult r = sandbox.run(ExecSpec.shell(command, paths.root(), cwd, timeout, outputCap)
                .withExtras(context.extrasFor(session)), call.sink());
        String combined = r.stderr().isEmpty() ? r.stdout()
                : r.stdout().isEmpty() ? r.stderr() : r.stdout() + "\n--- stderr ---\n" + r.stderr();
        // a failed download is far easier to act on when the model sees which host was refused and why
        List<String> refusals = context.egressRefusalsSince(session, started);
        if (!refusals.isEmpty()) {
            combined += "\n--- egress refused ---\n" + String.join("\n", refusals);
        }
        if (r.truncated()) {
            combined += "\n[Output truncated: " + r.totalOutputBytes() + " bytes total, first " + outputCap
                    + " bytes kept]";
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("exit_code", r.exitCode());
        meta.put("truncated", r.truncated());
        meta.put("timed_out", r.timedOut());
        meta.put("output_bytes", r.totalOutputBytes());
        if (!refusals.isEmpty()) {
            meta.put("egress_refused", refusals);
        }
        String error = "";
        if (r.timedOut()) {
            error = "TIMEOUT: command timed out after " + timeout.toSeconds() + " s; the whole process tree was killed";
        } else if (r.exitCode() != 0) {
            error = "command exited with code " + r.exitCode() + signal(r.exitCode());
        }
        return new ToolResult(error.isEmpty(), combined, error, r.exitCode(), r.truncated(), meta);
    }

    private static String signal(int code) {
        return switch (code) {
            case 137 -> " (killed: SIGKILL, e.g. the memory, output-flood or time limit)";
            case 152 -> " (killed: CPU time limit)";
            case 153 -> " (killed: file size limit)";
            default -> "";
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

}
