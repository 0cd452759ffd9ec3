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
import run.codetether.tools.infra.egress.BridgeLauncher;

/**
 * Every command under bubblewrap: all namespaces unshared (no network, loopback included; own pid namespace),
 * an unprivileged uid with no capabilities, the host root read-only, a private /tmp, the other sessions'
 * workspaces hidden, only this session's workspace writable, a minimal /dev, a clean environment (no service
 * secrets), rlimits, and a pids cgroup where available. Killing the outer bwrap kills the whole tree.
 */
public final class BwrapSandbox implements Sandbox {

    private final String bwrap;
    private final Path workspaceRoot;
    private final SandboxLimits limits;
    private final Optional<PidsCgroup.Pool> cgroups;
    private final Optional<BridgeLauncher> egress;

    /**
     * A minimal /dev instead of bubblewrap's {@code --dev}: the three harmless device nodes programs need, the usual
     * symlinks and an empty /dev/shm. {@code --dev} binds three more nodes (full, random, tty: each bind makes
     * bubblewrap re-read mountinfo) and mounts a devpts, about 1 ms per call; /dev/random becomes a link to urandom
     * (the same pool since Linux 5.6), /dev/tty is useless in a new session without a terminal anyway, and there
     * are no pseudo-terminals.
     */
    static final List<String> MINIMAL_DEV = List.of("--tmpfs", "/dev", "--dev-bind", "/dev/null", "/dev/null",
            "--dev-bind", "/dev/zero", "/dev/zero", "--dev-bind", "/dev/urandom", "/dev/urandom", "--symlink",
            "urandom", "/dev/random", "--symlink", "/proc/self/fd", "/dev/fd", "--symlink", "/proc/self/fd/0",
            "/dev/stdin", "--symlink", "/proc/self/fd/1", "/dev/stdout", "--symlink", "/proc/self/fd/2", "/dev/stderr",
            "--dir", "/dev/shm");

    /** @param cgroups pids cgroups for the commands, where this host lets the service make them */
    public BwrapSandbox(String bwrap, Path workspaceRoot, SandboxLimits limits, Optional<PidsCgroup.Pool> cgroups) {
        this(bwrap, workspaceRoot, limits, cgroups, Optional.empty());
    }

    /** @param egress how a session with egress reaches its proxy; empty: such a session's commands are refused */
    public BwrapSandbox(String bwrap, Path workspaceRoot, SandboxLimits limits, Optional<PidsCgroup.Pool> cgroups,
            Optional<BridgeLauncher> egress) {
        this.egress = egress;
        this.bwrap = bwrap;
        this.workspaceRoot = workspaceRoot.toAbsolutePath().normalize();
        this.limits = limits;
        this.cgroups = cgroups;
    }

    @Override
    public String describe() {
        return "bubblewrap (no network, read-only root, private /tmp, pid namespace; cpu " + limits.cpuSeconds()
                + " s, memory " + limits.memoryBytes() + " B, file size " + limits.fileSizeBytes() + " B, processes "
                + limits.maxProcesses() + (cgroups.isPresent() ? " (pids cgroup)"
                        : runsAsRoot()
                                ? " NOT ENFORCED (no pids cgroup, and RLIMIT_NPROC does not bind root)"
                                : " (RLIMIT_NPROC in the sandbox's user namespace)")
                + ")";
    }

    /**
     * The argv that runs {@code spec} in the sandbox (exposed for the benchmark and tests). Without a pids cgroup the
     * rlimits are set inside by prlimit, RLIMIT_NPROC included: each sandbox has its own user namespace, and since
     * Linux 5.14 RLIMIT_NPROC counts per (user namespace, uid), so it caps this tree only (it is not enforced for a
     * service running as root, which is why root uses the cgroup). With a cgroup the launcher shell that joins it
     * sets the rlimits before it execs bubblewrap (inherited by everything inside, and no capability inside can raise
     * a hard limit), which saves the prlimit exec on every call.
     */
    public List<String> command(ExecSpec spec) {
        Path ws = spec.workspace().toAbsolutePath().normalize();
        List<String> c = new ArrayList<>(List.of(bwrap, "--unshare-all", "--unshare-user", "--uid", "1000", "--gid",
                "1000", "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--tmpfs",
                "/tmp", "--proc", "/proc"));
        c.addAll(MINIMAL_DEV);
        if (!workspaceRoot.startsWith("/tmp")) {
            c.addAll(List.of("--tmpfs", workspaceRoot.toString()));
        }
        c.addAll(List.of("--bind", ws.toString(), ws.toString()));
        for (Path p : spec.extras().readOnlyBinds()) {
            String abs = p.toAbsolutePath().normalize().toString();
            c.addAll(List.of("--ro-bind", abs, abs));
        }
        Optional<Path> socket = spec.extras().egressSocket();
        if (socket.isPresent()) {
            if (egress.isEmpty()) {
                throw new ToolException(Code.UNAVAILABLE, "egress is on for this session but the sandbox has no"
                        + " egress bridge configured");
            }
            c.addAll(egress.get().binds(socket.get()));
        }
        c.addAll(List.of("--chdir", spec.cwd().toString(), "--clearenv",
                "--setenv", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "--setenv",
                "HOME", ws.toString(), "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8", "--setenv",
                "TERM", "dumb"));
        if (socket.isPresent()) {
            BridgeLauncher.environment().forEach((k, v) -> c.addAll(List.of("--setenv", k, v)));
        }
        c.add("--");
        if (cgroups.isEmpty()) {
            c.addAll(List.of("/usr/bin/prlimit", "--cpu=" + limits.cpuSeconds(), "--as=" + limits.memoryBytes(),
                    "--fsize=" + limits.fileSizeBytes(), "--nofile=" + limits.openFiles(), "--nproc="
                            + limits.maxProcesses(), "--core=0", "--"));
        }
        if (socket.isPresent()) {
            c.addAll(egress.get().prelude());
        }
        c.addAll(spec.argv());
        return c;
    }

    /**
     * The /bin/sh launcher in front of bubblewrap when a pids cgroup is used: it writes its own pid into the group
     * (so every descendant is counted from the first fork), sets the rlimits with the shell's builtin ulimit (no
     * extra exec) and execs bubblewrap. {@code $0} is the group's procs file, the rest is the bubblewrap argv.
     * Sizes: -v in KiB, -f in 512-byte blocks (dash, and bash in POSIX mode as sh). Public for the benchmark.
     */
    public List<String> launcher(Path procsFile) {
        String script = "echo $$ > \"$0\" && ulimit -t " + limits.cpuSeconds() + " && ulimit -v "
                + Math.max(1, limits.memoryBytes() / 1024) + " && ulimit -f " + Math.max(1, limits.fileSizeBytes() / 512)
                + " && ulimit -n " + limits.openFiles() + " && ulimit -c 0 && exec \"$@\"";
        return List.of("/bin/sh", "-c", script, procsFile.toString());
    }

    /**
     * Whether this service runs as root: then RLIMIT_NPROC is not enforced (the kernel exempts the root user), so
     * only a pids cgroup limits the process count.
     */
    public static boolean runsAsRoot() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: assume the worst
        }
        return true;
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
        return start(spec, true);
    }

    @Override
    public Interactive startWithStderr(ExecSpec spec) {
        return start(spec, false);
    }

    private Interactive start(ExecSpec spec, boolean discardStderr) {
        PidsCgroup group = newGroup();
        Process p = launch(spec, group, discardStderr);
        // Bound the server's life by the spec's timeout even if the caller forgets to close it.
        CompletableFuture.delayedExecutor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> ProcessSupervisor.killTree(p));
        return new ProcessInteractive(p, group);
    }

    private PidsCgroup newGroup() {
        if (cgroups.isEmpty()) {
            return null;
        }
        try {
            return cgroups.get().create(limits.maxProcesses());
        } catch (IOException e) {
            throw new ToolException(Code.UNAVAILABLE, "cannot create the pids cgroup for the sandbox: " + e.getMessage());
        }
    }

    private Process launch(ExecSpec spec, PidsCgroup group, boolean discardStderr) {
        List<String> argv = new ArrayList<>();
        if (group != null) {
            argv.addAll(launcher(group.procsFile()));
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
