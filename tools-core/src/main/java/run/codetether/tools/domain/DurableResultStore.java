package run.codetether.tools.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import run.codetether.platform.json.Json;
import run.codetether.tools.domain.workspace.Durable;

/**
 * {@link ResultStore} that survives a restart: every finished result is also written (atomically) to
 * {@code <stateRoot>/<session>/results/<sha256(callId)>.json}, and a call id not known in memory is looked up there
 * before the tool runs again. Bounded per session on disk as in memory (oldest results deleted first). A call that
 * was still running when the process died has no file and runs again on retry.
 *
 * <p>Writes (each with an fsync) are serialized per session, never store-wide: a slow disk write of one session's
 * result does not hold up another session's. The per-session lock is a {@link ReentrantLock}, so a virtual thread
 * waiting for it (or for the fsync under it) does not pin its carrier.
 */
public final class DurableResultStore implements ResultStore {

    private static final Logger LOG = Logger.getLogger(DurableResultStore.class);

    /** Writes one file crash-safely (temp file, fsync, rename): {@link Durable#writeAtomic} in production. */
    interface AtomicWriter {
        void write(Path dir, String name, byte[] content);
    }

    /** One session's files on disk, oldest first, and the lock its writes and its deletion take. */
    private static final class SessionFiles {
        final ReentrantLock lock = new ReentrantLock();
        Deque<Path> order;
    }

    private final Path stateRoot;
    private final int maxPerSession;
    private final InMemoryResultStore memory;
    private final AtomicWriter writer;
    private final Map<String, SessionFiles> sessions = new ConcurrentHashMap<>();

    public DurableResultStore(Path stateRoot, int maxPerSession) {
        this(stateRoot, maxPerSession, Durable::writeAtomic);
    }

    DurableResultStore(Path stateRoot, int maxPerSession, AtomicWriter writer) {
        this.stateRoot = stateRoot.toAbsolutePath().normalize();
        this.maxPerSession = maxPerSession;
        this.memory = new InMemoryResultStore(maxPerSession);
        this.writer = writer;
    }

    @Override
    public Outcome computeOnce(String sessionId, String callId, Supplier<ToolResult> compute) {
        Path file = dir(sessionId).resolve(hash(callId) + ".json");
        boolean[] ranHere = {false};
        Outcome o = memory.computeOnce(sessionId, callId, () -> {
            ToolResult stored = read(file);
            if (stored != null) {
                return stored;
            }
            ranHere[0] = true;
            ToolResult r = compute.get();
            try {
                write(sessionId, file, r);
            } catch (ToolException e) {
                // The call has run (its effects happened): losing only the durable copy beats reporting a failure
                // that invites a retry which would apply it twice. The memory copy still answers repeats.
                LOG.warnf("result of a call in session %s not persisted: %s", sessionId, e.getMessage());
            }
            return r;
        });
        return ranHere[0] ? o : new Outcome(o.result(), true);
    }

    @Override
    public void dropSession(String sessionId) {
        memory.dropSession(sessionId);
        SessionFiles files = sessions.computeIfAbsent(sessionId, k -> new SessionFiles());
        files.lock.lock();
        try {
            files.order = null;
            Durable.deleteTree(dir(sessionId));
        } finally {
            files.lock.unlock();
            sessions.remove(sessionId, files);
        }
    }

    private Path dir(String sessionId) {
        return stateRoot.resolve(sessionId.replace(':', '_')).resolve("results");
    }

    private static ToolResult read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Map<String, Object> m = Json.mapper().readValue(file.toFile(),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) m.getOrDefault("metadata", Map.of());
            Object exit = m.get("exit_code");
            return new ToolResult(Boolean.TRUE.equals(m.get("ok")), (String) m.get("output"), (String) m.get("error"),
                    exit == null ? null : ((Number) exit).intValue(), Boolean.TRUE.equals(m.get("truncated")), meta);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: the call runs again rather than replaying garbage
        }
    }

    private void write(String sessionId, Path file, ToolResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", r.ok());
        m.put("output", r.output());
        m.put("error", r.error());
        m.put("exit_code", r.exitCode());
        m.put("truncated", r.truncated());
        m.put("metadata", r.metadata());
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(m);
        } catch (IOException e) {
            throw new ToolException(ToolException.Code.IO_ERROR, "cannot store the result: " + e.getMessage(), e);
        }
        SessionFiles files = sessions.computeIfAbsent(sessionId, k -> new SessionFiles());
        files.lock.lock();
        try {
            writer.write(file.getParent(), file.getFileName().toString(), bytes);
            if (files.order == null) {
                // First write of this process for the session: what an earlier process left is older than this result.
                files.order = existing(file.getParent(), file);
            }
            Deque<Path> q = files.order;
            q.remove(file);
            q.addLast(file);
            while (q.size() > maxPerSession) {
                try {
                    Files.deleteIfExists(q.removeFirst());
                } catch (IOException e) {
                    throw new ToolException(ToolException.Code.IO_ERROR, "cannot trim stored results: " + e.getMessage(), e);
                }
            }
        } finally {
            files.lock.unlock();
        }
    }

    /** The session's stored results, oldest first (after a restart: by modification time). */
    private static Deque<Path> existing(Path dir, Path current) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.equals(current)).sorted(Comparator.comparingLong(
                    DurableResultStore::mtime)).collect(ArrayDeque::new, ArrayDeque::add, ArrayDeque::addAll);
        } catch (IOException e) {
            return new ArrayDeque<>();
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String hash(String callId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    callId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
