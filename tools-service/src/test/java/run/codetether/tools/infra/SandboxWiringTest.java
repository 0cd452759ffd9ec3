package run.codetether.tools.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.MissingBwrapSandbox;
import run.codetether.tools.infra.sandbox.SandboxLimits;

class SandboxWiringTest {

    @Test
    void missingBubblewrapRefusesWithInstallInstructions() {
        var s = new MissingBwrapSandbox("/nonexistent/bwrap");
        var e = assertThrows(ToolException.class, () -> s.run(ExecSpec.shell("true", Path.of("/tmp"),
                Path.of("/tmp"), Duration.ofSeconds(1), 100), OutputSink.DISCARD));
        assertEquals(ToolException.Code.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("apt-get install bubblewrap"), e.getMessage());
        assertTrue(ToolsProducer.findExecutable("/nonexistent/bwrap").isEmpty());
        assertTrue(ToolsProducer.findExecutable("definitely-not-a-command-xyz").isEmpty());
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
        assertTrue(line.contains("prlimit --cpu=10 --as=1073741824 --fsize=1048576 --nofile=256"), line);
        assertEquals(List.of("/bin/bash", "-c", "echo hi"), c.subList(c.size() - 3, c.size()));
    }
}
