package run.codetether.gateway.infra.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.LiveTenantBinding;
import run.codetether.gateway.domain.TenantBinding;
import run.codetether.gateway.domain.TenantBindingFile;
import run.codetether.gateway.infra.ScheduledRun;

/**
 * Keeps the {@link LiveTenantBinding} in step with the tenant bindings file ({@code codetether.gateway.auth.tenants-file},
 * docs/a2a.md "Tenants"): the configured binding with the file's entries laid over it, re-read every
 * {@code tenants-file-interval} and swapped in whole when the file's bytes changed, so a key gains or loses a tenant
 * on every door at once without a restart. Polled, not watched: a mounted ConfigMap changes by a symlink swap that
 * file watches miss, and a read of a small file per interval costs nothing.
 *
 * <p>A file that does not exist has no entries (the configured binding alone). A file that cannot be used (not a
 * properties file, an unknown key, an entry without a tenant) fails the start with the reason; while running it is
 * logged as an error and the binding in force stays until the file is fixed: a broken edit must not unbind every key
 * (nor take every replica out of service: readiness stays UP). A re-read that fails otherwise (an Error: a file too
 * large to read) turns readiness {@code scheduled-runs} DOWN until a later one completes, and the re-reads go on
 * ({@link ScheduledRun}; before, the executor stopped re-reading without a word).
 */
public final class TenantBindingReloader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TenantBindingReloader.class);

    private final Path file;
    private final TenantBinding configured;
    private final LiveTenantBinding live;
    private final ScheduledExecutorService timer;
    private final ScheduledRun run;
    private byte[] applied; // the bytes in force (null: no file); only the timer thread touches it after start

    /**
     * Reads the file now (a bad file throws: the start fails) and then every {@code interval}.
     *
     * @param configured the binding of the configuration, under the file's entries
     */
    public TenantBindingReloader(Path file, Duration interval, TenantBinding configured) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("codetether.gateway.auth.tenants-file-interval must be positive, not "
                    + interval);
        }
        this.file = file;
        this.configured = configured;
        byte[] bytes = read();
        this.live = new LiveTenantBinding(bind(bytes));
        this.applied = bytes;
        LOG.infof("tenant bindings: %s %s, re-read every %s", file, bytes == null ? "does not exist yet (the "
                + "configured binding alone)" : "read", interval);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tenant-bindings-file");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        this.run = new ScheduledRun("tenant-bindings-file", this::reload);
        timer.scheduleWithFixedDelay(run, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The scheduled re-read, for readiness. */
    public ScheduledRun scheduledRun() {
        return run;
    }

    /** The binding every door reads. */
    public LiveTenantBinding binding() {
        return live;
    }

    /** Re-reads the file; swaps the binding in when its bytes changed and it is usable. */
    void reload() {
        try {
            byte[] bytes = read();
            if (Arrays.equals(bytes, applied)) {
                return;
            }
            TenantBinding next = bind(bytes);
            live.set(next);
            applied = bytes;
            LOG.infof("tenant bindings: %s %s; %d client(s) bound now", file, bytes == null ? "removed (the "
                    + "configured binding alone)" : "changed", next.clients());
        } catch (RuntimeException e) {
            // logged again on every try while the file stays broken: an operator must see that the edit was not taken
            LOG.errorf("tenant bindings: %s was not applied, the binding in force stays: %s", file, e.getMessage());
        }
    }

    private TenantBinding bind(byte[] bytes) {
        if (bytes == null) {
            return configured;
        }
        TenantBindingFile.Entries entries = TenantBindingFile.parse(new String(bytes, StandardCharsets.UTF_8),
                file.toString());
        return configured.overlaidWith(entries.admins(), entries.tenants());
    }

    /** The file's bytes, or null when it does not exist. */
    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("tenant bindings file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
