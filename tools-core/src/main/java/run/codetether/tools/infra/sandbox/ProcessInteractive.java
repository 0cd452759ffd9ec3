package run.codetether.tools.infra.sandbox;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import run.codetether.tools.domain.exec.Sandbox;

/**
 * A long-lived process (e.g. a language server) behind {@link Sandbox.Interactive}: closing kills its whole tree,
 * waits briefly for it to go, then releases what the launcher attached to it (its pids cgroup).
 */
final class ProcessInteractive implements Sandbox.Interactive {
    private final Process process;
    private final AutoCloseable resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    ProcessInteractive(Process process, AutoCloseable resources) {
        this.process = process;
        this.resources = resources;
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Only the first call kills and releases: callers close from more than one path (an MCP client's asynchronous
     * graceful close beside the connection's own), and a second release of the pids cgroup after the pool handed it
     * to the next command would kill that command.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ProcessSupervisor.killTree(process);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception ignored) {
                // the group is reused or removed later; a failed release is logged by the cgroup itself
            }
        }
    }
}
