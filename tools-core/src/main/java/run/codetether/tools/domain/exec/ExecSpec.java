package run.codetether.tools.domain.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A command to run for one session: argv, the workspace (the only writable place), the working directory inside
 * it, the wall-clock limit, the output cap (bytes kept; the rest is counted and dropped) and the session's extras
 * (read-only binds, egress proxy).
 */
public record ExecSpec(List<String> argv, Path workspace, Path cwd, Duration timeout, int outputCapBytes,
        SandboxExtras extras) {

    public ExecSpec {
        argv = List.copyOf(argv);
        extras = extras == null ? SandboxExtras.NONE : extras;
    }

    public ExecSpec(List<String> argv, Path workspace, Path cwd, Duration timeout, int outputCapBytes) {
        this(argv, workspace, cwd, timeout, outputCapBytes, SandboxExtras.NONE);
    }

    /** {@code bash -c command}, the way the bash tool runs things. */
    public static ExecSpec shell(String command, Path workspace, Path cwd, Duration timeout, int outputCapBytes) {
        return new ExecSpec(List.of("/bin/bash", "-c", command), workspace, cwd, timeout, outputCapBytes);
    }

    public ExecSpec withExtras(SandboxExtras e) {
        return new ExecSpec(argv, workspace, cwd, timeout, outputCapBytes, e);
    }
}
