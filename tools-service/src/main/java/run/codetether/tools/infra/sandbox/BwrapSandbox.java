package run.codetether.tools.infra.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;

/**
 * Every command under bubblewrap: all namespaces unshared (no network, loopback included; own pid namespace),
 * an unprivileged uid with no capabilities, the host root read-only, a private /tmp, the other sessions'
 * workspaces hidden, only this session's workspace writable, a clean environment (no service secrets), rlimits
 * via prlimit and a pids cgroup where available. Killing the outer bwrap kills the whole tree.
 */
public final class BwrapSandbox implements Sandbox {

    private final String bwrap;
    private final Path workspaceRoot;
    private final SandboxLimits limits;
    private final Optional<Path> cgroupParent;

    public BwrapSandbox(String bwrap, Path workspaceRoot, SandboxLimits limits, Optional<Path> cgroupParent) {
        this.bwrap = bwrap;
        this.workspaceRoot = workspaceRoot.toAbsolutePath().normalize();
        this.limits = limits;
        this.cgroupParent = cgroupParent;
    }

    @Override
    public String describe() {
        return "bubblewrap (no network, read-only root, private /tmp, pid namespace; cpu " + limits.cpuSeconds()
                + " s, memory " + limits.memoryBytes() + " B, file size " + limits.fileSizeBytes() + " B, processes "
                + (cgroupParent.isPresent() ? limits.maxProcesses() + " (pids cgroup)" : "not limited (no cgroup)")
                + ")";
    }

    /** The argv that runs {@code spec} in the sandbox (exposed for the benchmark and tests). */
    public List<String> command(ExecSpec spec) {
        Path ws = spec.workspace().toAbsolutePath().normalize();
        List<String> c = new ArrayList<>(List.of(bwrap, "--unshare-all", "--unshare-user", "--uid", "1000", "--gid",
                "1000", "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--tmpfs",
                "/tmp", "--dev", "/dev", "--proc", "/proc"));
        if (!workspaceRoot.startsWith("/tmp")) {
            c.addAll(List.of("--tmpfs", workspaceRoot.toString()));
        }
        c.addAll(List.of("--bind", ws.toString(), ws.toString(), "--chdir", spec.cwd().toString(), "--clearenv",
                "--setenv", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "--setenv",
                "HOME", ws.toString(), "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8", "--setenv",
                "TERM", "dumb", "--", "/usr/bin/prlimit", "--cpu=" + limits.cpuSeconds(), "--as="
                        + limits.memoryBytes(), "--fsize=" + limits.fileSizeBytes(), "--nofile=" + limits.openFiles(),
                "--core=0", "--"));
        c.addAll(spec.argv());
        return c;
    }

    @Override
    public ExecResult run(ExecSpec spec, OutputSink sink) {
        PidsCgroup group = newGroup();
        try {
            Process p = launch(spec, group, false);
            return ProcessSupervisor.supervise(p, spec, sink, limits.outputKillBytes());
        } finally {
            if (group != null) {
                group.close();
            }
        }
    }

    @Override
    public Interactive start(ExecSpec spec) {
        PidsCgroup group = newGroup();
        Process p = launch(spec, group, true);
        // Bound the server's life by the spec's timeout even if the caller forgets to close it.
        CompletableFuture.delayedExecutor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> ProcessSupervisor.killTree(p));
        return new ProcessInteractive(p, group);
    }

    private PidsCgroup newGroup() {
        if (cgroupParent.isEmpty()) {
            return null;
        }
        try {
            return PidsCgroup.create(cgroupParent.get(), limits.maxProcesses());
        } catch (IOException e) {
            throw new ToolException(Code.UNAVAILABLE, "cannot create the pids cgroup for the sandbox: " + e.getMessage());
        }
    }

    private Process launch(ExecSpec spec, PidsCgroup group, boolean discardStderr) {
        List<String> argv = new ArrayList<>();
        if (group != null) {
            // The launcher joins the cgroup before exec, so every descendant is counted from the first fork.
            argv.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", group.procsFile().toString()));
        }
        argv.addAll(command(spec));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        if (discardStderr) {
            // Nobody reads a language server's stderr; a full pipe would stall it.
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            return pb.start();
        } catch (IOException e) {
            if (group != null) {
                group.close();
            }
            throw new ToolException(Code.UNAVAILABLE, "cannot start the sandbox (" + bwrap + "): " + e.getMessage());
        }
    }
}
