package run.codetether.tools.domain.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A command to run for one session: argv, the workspace (the only writable place), the working directory inside
 * it, the wall-clock limit and the output cap (bytes kept; the rest is counted and dropped).
 */
public record ExecSpec(List<String> argv, Path workspace, Path cwd, Duration timeout, int outputCapBytes) {

    public ExecSpec {
        argv = List.copyOf(argv);
    }

    /** {@code bash -c command}, the way the bash tool runs things. */
    public static ExecSpec shell(String command, Path workspace, Path cwd, Duration timeout, int outputCapBytes) {
        return new ExecSpec(List.of("/bin/bash", "-c", command), workspace, cwd, timeout, outputCapBytes);
    }
}
