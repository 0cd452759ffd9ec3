package run.codetether.tools.infra.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandboxed process and its pids cgroup are released once, however many paths close them: the race behind
 * McpGrpcTest's killed stdio server (a crashed MCP server's connection closed by the SDK's asynchronous graceful
 * close and by the connection itself; the second release killed the next command that got the pooled group). The
 * pool here lives under a plain directory: {@code cgroup.procs} is then an ordinary file, which is all the release
 * reads.
 */
class SandboxReleaseOnceTest {

    @TempDir
    Path parent;

    @Test
    void aGroupClosedTwiceGoesBackToThePoolOnceAndSparesItsNextCommand() throws Exception {
        PidsCgroup.Pool pool = new PidsCgroup.Pool(parent, 4);
        PidsCgroup crashed = pool.create(16);
        crashed.close();
        PidsCgroup next = pool.create(16);
        assertEquals(crashed.procsFile(), next.procsFile(), "the emptied group is reused (the pool's point)");
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(next.procsFile(), other.pid() + "\n");
            crashed.close(); // the late second close of the crashed command
            assertFalse(other.waitFor(200, TimeUnit.MILLISECONDS), "the next command's process was killed");
            assertNotEquals(next.procsFile(), pool.create(16).procsFile(), "the group is in the pool twice");
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void anInteractiveProcessClosedTwiceReleasesItsResourcesOnce() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        AtomicInteger releases = new AtomicInteger();
        ProcessInteractive interactive = new ProcessInteractive(p, releases::incrementAndGet);
        Thread other = Thread.ofVirtual().start(interactive::close);
        interactive.close();
        other.join();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "closing kills the process");
        assertEquals(1, releases.get());
    }
}
