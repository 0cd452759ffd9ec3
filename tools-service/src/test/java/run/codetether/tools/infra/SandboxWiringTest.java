package run.codetether.tools.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.MissingBwrapSandbox;
import run.codetether.tools.infra.sandbox.PidsCgroup;
import run.codetether.tools.infra.sandbox.SandboxLimits;

class SandboxWiringTest {

    @Test
    void missingBubblewrapRefusesWithInstallInstructions() {
        var s = new MissingBwrapSandbox("/nonexistent/bwrap");
        var e = assertThrows(ToolException.class, () -> s.run(ExecSpec.shell("true", Path.of("/tmp"),
                Path.of("/tmp"), Duration.ofSeconds(1), 100), OutputSink.DISCARD));
        assertEquals(ToolException.Code.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("apt-get install bubblewrap"), e.getMessage());
        assertTrue(run.codetether.tools.kit.Sandboxes.findExecutable("/nonexistent/bwrap").isEmpty());
        assertTrue(run.codetether.tools.kit.Sandboxes.findExecutable("definitely-not-a-command-xyz").isEmpty());
    }

    @Test
    void bwrapCommandUnsharesEverythingAndBindsOnlyTheWorkspace() {
        var s = new BwrapSandbox("/usr/bin/bwrap", Path.of("/srv/ws"),
                new SandboxLimits(10, 1 << 30, 64, 1 << 20, 256, 1 << 24), Optional.empty());
        List<String> c = s.command(ExecSpec.shell("echo hi", Path.of("/srv/ws/s1"), Path.of("/srv/ws/s1/src"),
                Duration.ofSeconds(5), 100));
        String line = String.join(" ", c);
        assertTrue(line.contains("--unshare-all --unshare-user --uid 1000 --gid 1000 --cap-drop ALL --die-with-parent"),
                line);
        assertTrue(line.contains("--ro-bind / / --tmpfs /tmp"), line);
        assertTrue(line.contains("--tmpfs /srv/ws --bind /srv/ws/s1 /srv/ws/s1 --chdir /srv/ws/s1/src --clearenv"),
                line);
        assertTrue(line.contains("prlimit --cpu=10 --as=1073741824 --fsize=1048576 --nofile=256 --nproc=64 --core=0"),
                line);
        assertFalse(line.contains("--dev /dev"), "a minimal /dev, not bubblewrap's full one: " + line);
        assertEquals(List.of("/bin/bash", "-c", "echo hi"), c.subList(c.size() - 3, c.size()));
    }

    private static final SandboxLimits SMALL = new SandboxLimits(10, 1 << 30, 12, 1 << 20, 256, 1 << 24);

    /** What a program sees of its limits and /dev, through either way of applying the limits. */
    private static final String PROBE = "grep -E 'Max (cpu time|file size|open files|address space|core file size"
            + "|processes)' /proc/self/limits | tr -s ' '; echo x > /dev/null && head -c 4 /dev/urandom | wc -c"
            + " && head -c 3 /dev/zero | wc -c && head -c 2 /dev/random | wc -c && test -d /dev/shm && cat <(echo"
            + " procsub) && ls /dev/stdout >/dev/null && echo devok; ls /dev | wc -l";

    @Test
    void limitsAndDevAreTheSameWithAndWithoutTheCgroupLauncher(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap not installed");
        Path ws = Files.createDirectories(tmp.resolve("ws/s1"));
        ExecSpec spec = ExecSpec.shell(PROBE, ws, ws, Duration.ofSeconds(20), 10_000);
        var plain = new BwrapSandbox("/usr/bin/bwrap", tmp.resolve("ws"), SMALL, Optional.empty()).run(spec,
                OutputSink.DISCARD);
        assertEquals(0, plain.exitCode(), plain.stdout() + plain.stderr());
        for (String limit : List.of("Max cpu time 10 10 seconds", "Max file size 1048576 1048576 bytes",
                "Max open files 256 256 files", "Max address space 1073741824 1073741824 bytes",
                "Max core file size 0 0 bytes", "Max processes 12 12 processes")) {
            assertTrue(plain.stdout().contains(limit), limit + " in\n" + plain.stdout());
        }
        assertTrue(plain.stdout().contains("4\n3\n2\nprocsub\ndevok\n"), plain.stdout());
        // null, zero, urandom, random, fd, stdin, stdout, stderr, shm: nothing else of the host's devices
        assertTrue(plain.stdout().endsWith("\n9\n"), plain.stdout());

        var parent = PidsCgroup.parent();
        assumeTrue(parent.isPresent(), "no writable pids cgroup here");
        var viaCgroup = new BwrapSandbox("/usr/bin/bwrap", tmp.resolve("ws"), SMALL,
                parent.map(p -> new PidsCgroup.Pool(p, 4))).run(spec,
                OutputSink.DISCARD);
        assertEquals(0, viaCgroup.exitCode(), viaCgroup.stdout() + viaCgroup.stderr());
        // Same rlimits (set by the launcher's ulimit instead of prlimit); the process count is the cgroup's job.
        assertEquals(plain.stdout().lines().filter(l -> !l.startsWith("Max processes")).toList(),
                viaCgroup.stdout().lines().filter(l -> !l.startsWith("Max processes")).toList());
    }

    /**
     * The image runs the service as uid 185, usually without a writable cgroup: RLIMIT_NPROC then caps the command
     * tree, counted in the sandbox's own user namespace, so other processes of the same host user do not count.
     * Simulated here by running bubblewrap as nobody.
     */
    @Test
    void withoutACgroupANonRootServiceStillCapsTheProcessCount(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")) && Files.isExecutable(Path.of("/usr/bin/setpriv"))
                && BwrapSandbox.runsAsRoot(), "needs bubblewrap, setpriv and root to switch to nobody");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path wrapper = tmp.resolve("bwrap-as-nobody");
        Files.writeString(wrapper, "#!/bin/sh\nexec /usr/bin/setpriv --reuid 65534 --regid 65534 --clear-groups"
                + " /usr/bin/bwrap \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.createDirectories(tmp.resolve("ws"));
        Path ws = Files.createDirectories(root.resolve("s1"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(ws, PosixFilePermissions.fromString("rwxrwxrwx"));
        String forker = "python3 -c \"import os, time\nn = 0\ntry:\n    for i in range(40):\n        if os.fork() == 0:"
                + "\n            time.sleep(2); os._exit(0)\n        n += 1\nexcept OSError as e:\n    print('stopped', e)"
                + "\nprint('forked', n)\n\"";
        var r = new BwrapSandbox(wrapper.toString(), root, SMALL, Optional.empty()).run(
                ExecSpec.shell(forker, ws, ws, Duration.ofSeconds(20), 10_000), OutputSink.DISCARD);
        assertTrue(r.stdout().contains("stopped [Errno 11] Resource temporarily unavailable"), r.stdout() + r.stderr());
        int forked = Integer.parseInt(r.stdout().replaceAll("(?s).*forked (\\d+).*", "$1"));
        assertTrue(forked < 12, "at most the limit of processes: " + r.stdout());
    }
}
