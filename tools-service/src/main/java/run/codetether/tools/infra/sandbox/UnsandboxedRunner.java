package run.codetether.tools.infra.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;

/**
 * No sandbox: commands run as the service's own user with only rlimits and the wall-clock limit. Used only when an
 * operator sets {@code codetether.tools.sandbox.enabled=false}; startup logs a loud warning.
 */
public final class UnsandboxedRunner implements Sandbox {

    private final SandboxLimits limits;

    public UnsandboxedRunner(SandboxLimits limits) {
        this.limits = limits;
    }

    @Override
    public String describe() {
        return "NO SANDBOX (codetether.tools.sandbox.enabled=false): host network, host filesystem";
    }

    @Override
    public ExecResult run(ExecSpec spec, OutputSink sink) {
        return ProcessSupervisor.supervise(launch(spec, false), spec, sink, limits.outputKillBytes());
    }

    @Override
    public Interactive start(ExecSpec spec) {
        Process p = launch(spec, true);
        return new ProcessInteractive(p, null);
    }

    @Override
    public Interactive startWithStderr(ExecSpec spec) {
        return new ProcessInteractive(launch(spec, false), null);
    }

    private Process launch(ExecSpec spec, boolean discardStderr) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/prlimit", "--cpu=" + limits.cpuSeconds(),
                "--as=" + limits.memoryBytes(), "--fsize=" + limits.fileSizeBytes(), "--"));
        argv.addAll(spec.argv());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.cwd().toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().put("HOME", spec.workspace().toString());
        if (discardStderr) {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new ToolException(ToolException.Code.UNAVAILABLE, "cannot start process: " + e.getMessage());
        }
    }
}
