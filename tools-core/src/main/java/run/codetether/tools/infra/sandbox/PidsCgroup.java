package run.codetether.tools.infra.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A per-command pids cgroup (v1 {@code /sys/fs/cgroup/pids} or v2 with the pids controller) that caps how many
 * processes a command tree may have: a fork bomb hits {@code pids.max} instead of the host. Optional: where no
 * cgroup is writable, {@link #parent()} is empty and the limit is not enforced (logged once at startup). Groups
 * come from a {@link Pool} of emptied ones under one parent.
 */
public final class PidsCgroup implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PidsCgroup.class);

    private final Path dir;
    private final Pool pool;
    /**
     * Set by the first close: a group handed back twice would sit in the pool twice, and the second release would
     * then kill the members of whichever command got the group in between (an MCP server killed with 137 during its
     * handshake, seen in McpGrpcTest when a crashed server's connection was closed by two paths at once).
     */
    private final AtomicBoolean released = new AtomicBoolean();

    private PidsCgroup(Path dir, Pool pool) {
        this.dir = dir;
        this.pool = pool;
    }

    /**
     * Empty groups under one parent, kept for reuse: creating and removing cgroups costs milliseconds per call (rmdir
     * waits for the kernel). Holds at most {@code size} idle groups ({@code codetether.tools.sandbox.cgroup-pool-size});
     * more are removed when closed. Thread-safe.
     */
    public static final class Pool {
        private final Path parent;
        private final BlockingQueue<Path> idle;

        public Pool(Path parent, int size) {
            this.parent = parent;
            this.idle = new LinkedBlockingQueue<>(Math.max(1, size));
        }

        public Path parent() {
            return parent;
        }

        /** A group for one command: an emptied one from the pool, else a new one. */
        public PidsCgroup create(int maxProcesses) throws IOException {
            Path dir = idle.poll();
            if (dir == null || !Files.isDirectory(dir)) {
                dir = parent.resolve(UUID.randomUUID().toString());
                Files.createDirectory(dir);
            }
            Files.writeString(dir.resolve("pids.max"), Integer.toString(maxProcesses));
            return new PidsCgroup(dir, this);
        }
    }

    /**
     * The parent directory under which per-command groups are made, if this host lets us make them: probed by
     * creating a child group and checking that it has {@code pids.max} (on cgroup v2 the controller is first enabled
     * for the children with {@code +pids}).
     */
    public static Optional<Path> parent() {
        for (Path base : List.of(Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup"))) {
            Path parent = base.resolve("codetether-tools");
            try {
                if (!Files.exists(base.resolve("cgroup.procs"))) {
                    continue;
                }
                Files.createDirectories(parent);
                if (!probe(parent) && Files.exists(parent.resolve("cgroup.subtree_control"))) {
                    Files.writeString(parent.resolve("cgroup.subtree_control"), "+pids");
                }
                if (probe(parent)) {
                    return Optional.of(parent);
                }

            } catch (IOException | RuntimeException e) {
                LOG.debugf("no pids cgroup under %s: %s", base, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static boolean probe(Path parent) throws IOException {
        Path child = parent.resolve("probe-" + UUID.randomUUID());
        Files.createDirectory(child);
        try {
            return Files.isWritable(child.resolve("pids.max")) && Files.isWritable(child.resolve("cgroup.procs"));
        } finally {
            Files.delete(child);
        }
    }

    /** The file a launcher shell writes its own pid into before it execs the sandbox. */
    public Path procsFile() {
        return dir.resolve("cgroup.procs");
    }

    /**
     * Kills whatever is left in the group (a process that escaped the namespace teardown) and returns once the group
     * is empty, so no process of the command outlives the call; the empty group goes back to the pool (or is
     * removed when the pool is full). Polls every millisecond at first: the kernel reaps the torn-down namespace
     * within moments. Only the first call does this; later ones return at once (the group may already serve
     * another command).
     */
    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        for (int attempt = 0; attempt < 300; attempt++) {
            if (killMembers() == 0) {
                if (!pool.idle.offer(dir)) {
                    remove();
                }
                return;
            }
            pause(attempt);
        }
        remove();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(attempt < 20 ? 1 : 10);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIGKILL to every member; returns how many there were. */
    private int killMembers() {
        int n = 0;
        try {
            for (String pid : Files.readAllLines(procsFile(), StandardCharsets.US_ASCII)) {
                if (!pid.isBlank()) {
                    n++;
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("reading %s: %s", procsFile(), e.getMessage());
        }
        return n;
    }

    private void remove() {
        for (int attempt = 0; attempt < 500; attempt++) {
            try {
                Files.delete(dir);
                return;
            } catch (IOException e) {
                killMembers();
                pause(attempt);
            }
        }
        LOG.warnf("could not remove pids cgroup %s", dir);
    }
}
