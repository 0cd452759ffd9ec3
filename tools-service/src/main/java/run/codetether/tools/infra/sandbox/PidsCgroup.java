package run.codetether.tools.infra.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A per-command pids cgroup (v1 {@code /sys/fs/cgroup/pids} or v2 with the pids controller) that caps how many
 * processes a command tree may have: a fork bomb hits {@code pids.max} instead of the host. Optional: where no
 * cgroup is writable, {@link #available} is false and the limit is not enforced (logged once at startup).
 */
public final class PidsCgroup implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PidsCgroup.class);

    private final Path dir;

    private PidsCgroup(Path dir) {
        this.dir = dir;
    }

    /** The parent directory under which per-command groups are made, if this host lets us make them. */
    public static Optional<Path> parent() {
        for (Path base : List.of(Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup"))) {
            Path parent = base.resolve("codetether-tools");
            try {
                if (!Files.exists(base.resolve("cgroup.procs"))) {
                    continue;
                }
                if (base.endsWith("cgroup") && !Files.readString(base.resolve("cgroup.subtree_control")).contains("pids")) {
                    continue;
                }
                Files.createDirectories(parent);
                if (Files.exists(parent.resolve("pids.max")) && Files.isWritable(parent.resolve("cgroup.procs"))) {
                    return Optional.of(parent);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debugf("no pids cgroup under %s: %s", base, e.getMessage());
            }
        }
        return Optional.empty();
    }

    public static PidsCgroup create(Path parent, int maxProcesses) throws IOException {
        Path dir = parent.resolve(UUID.randomUUID().toString());
        Files.createDirectory(dir);
        Files.writeString(dir.resolve("pids.max"), Integer.toString(maxProcesses));
        return new PidsCgroup(dir);
    }

    /** The file a launcher shell writes its own pid into before it execs the sandbox. */
    public Path procsFile() {
        return dir.resolve("cgroup.procs");
    }

    /** Kills whatever is left in the group (a process that escaped the namespace teardown) and removes it. */
    @Override
    public void close() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                List<String> pids = Files.readAllLines(procsFile(), StandardCharsets.US_ASCII);
                for (String pid : pids) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                Files.delete(dir);
                return;
            } catch (IOException | RuntimeException e) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        LOG.warnf("could not remove pids cgroup %s", dir);
    }
}
