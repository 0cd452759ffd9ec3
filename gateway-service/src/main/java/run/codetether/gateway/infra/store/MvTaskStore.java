package run.codetether.gateway.infra.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.StoredTask;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskSize;
import run.codetether.gateway.domain.TaskView;

/**
 * The gateway's {@link TaskStore} on local disk: one H2 MVStore file per replica (pure Java, no native library, an
 * append-only B-tree with a page cache of a fixed size), fed from the task log, so the heap holds none of the stored
 * tasks and a restart opens the file and reads only the log's tail.
 *
 * <p>Maps: {@code tasks} (id to the event offset and the task's JSON), {@code summaries} (id to its
 * {@link SummaryCodec summary}), {@code newest} (a key that sorts newest first to the summary: what ListTasks walks),
 * {@code resident} (the ids of tasks in progress), {@code checkpoint} and {@code info}. Every write takes one lock and
 * so does every commit: a commit never holds half of a task's write, and a checkpoint is never ahead of the data it
 * covers. Commits happen at each checkpoint and whenever the unsaved writes pass a few MiB (data ahead of its
 * checkpoint is safe: the log's tail is folded again, each task skipping offsets it has).
 *
 * <p>Write-behind: {@link #put} only records the task as the newest version of its id; the pending versions go
 * into the maps (encoded once per task however often it changed) at the next checkpoint, before a read that walks
 * the maps (listing, counts, resident tasks, size), or once {@value #FLUSH_PENDING} tasks or about
 * {@value #FLUSH_PENDING_BYTES} bytes ({@link TaskSize}) wait: a burst of large messages is held at most that long
 * (issue 19's heap bound), not for a whole checkpoint interval. A lookup by id sees a
 * pending version first. An accepted task is put on the request thread (the accept's one event: its submitted
 * status with the user's message); encoding it and descending six B-trees there, under the write lock, was most of
 * what the store cost an accept (issue 20).
 */
public final class MvTaskStore implements TaskStore {
    private static final Logger LOG = Logger.getLogger(MvTaskStore.class);
    /** Unsaved bytes after which a write commits (they are held on the heap until then). */
    private static final long COMMIT_BYTES = 4L << 20;
    /** The layout of the maps; a store of another layout is emptied at open. */
    private static final String FORMAT = "1";
    /** How often a checkpoint also rewrites sparse chunks of the file (it only grows otherwise). */
    private static final long COMPACT_EVERY_NANOS = 60_000_000_000L;

    private final MVStore mv;
    private final MVMap<String, byte[]> tasks;
    private final MVMap<String, byte[]> summaries;
    private final MVMap<String, byte[]> newest;
    private final MVMap<String, Boolean> resident;
    private final MVMap<String, Long> checkpoint;
    private final MVMap<String, String> info;
    /** Tasks per owner and tenant ({@link #scopeKey}), kept with every write. */
    private final MVMap<String, Long> counts;
    private final ReentrantLock writes = new ReentrantLock();
    /** Most tasks waiting to go into the maps before a put writes them all. */
    static final int FLUSH_PENDING = 4096;
    /** Tasks put but not in the maps yet: the newest version of each (see the class comment). */
    private final ConcurrentHashMap<String, TaskView.Versioned> pending = new ConcurrentHashMap<>();
    /** Most estimated bytes of pending tasks before a put writes them all. */
    static final long FLUSH_PENDING_BYTES = 8L << 20;
    /** Estimated bytes of {@link #pending}. */
    private final AtomicLong pendingBytes = new AtomicLong();
    private long unsaved;
    private long lastCompact = System.nanoTime();

    private MvTaskStore(MVStore mv) {
        this.mv = mv;
        this.tasks = mv.openMap("tasks");
        this.summaries = mv.openMap("summaries");
        this.newest = mv.openMap("newest");
        this.resident = mv.openMap("resident");
        this.checkpoint = mv.openMap("checkpoint");
        this.info = mv.openMap("info");
        this.counts = mv.openMap("counts");
        if (!FORMAT.equals(info.get("format"))) {
            reset(null); // written by another version of this class: filled again from the log
            info.put("format", FORMAT);
            commit();
        }
    }

    /**
     * Opens (or creates) the store in {@code dir}.
     *
     * @param cacheMb the page cache, the store's share of the heap
     * @throws IllegalStateException when the directory cannot be used (e.g. another process holds the file)
     */
    public static MvTaskStore open(Path dir, int cacheMb) {
        try {
            Files.createDirectories(dir);
            MVStore mv = new MVStore.Builder().fileName(dir.resolve("tasks.mv.db").toString())
                    .cacheSize(cacheMb).compress().autoCommitDisabled().open();
            return new MvTaskStore(mv);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the gateway task store in " + dir + " (set "
                    + "codetether.gateway.store.dir to a writable directory that no other gateway uses): " + e, e);
        }
    }

    @Override
    public Optional<TaskView.Versioned> get(String taskId) {
        TaskView.Versioned p = pending.get(taskId);
        if (p != null) {
            return Optional.of(p);
        }
        byte[] v = tasks.get(taskId);
        if (v == null) {
            return Optional.empty();
        }
        long offset = ByteBuffer.wrap(v, 0, 8).getLong();
        Task task = StoredTask.decode(Arrays.copyOfRange(v, 8, v.length)); // either shape, as folded
        return Optional.of(new TaskView.Versioned(task, offset));
    }

    @Override
    public Optional<Summary> summary(String taskId) {
        TaskView.Versioned p = pending.get(taskId);
        if (p != null) {
            return Optional.of(Summary.of(p.task(), p.offset()));
        }
        byte[] s = summaries.get(taskId);
        return s == null ? Optional.empty() : Optional.of(SummaryCodec.decode(s));
    }

    @Override
    public void put(Task task, long offset) {
        // callers put one task's versions in order (TaskView, under the task's entry): the newest wins
        TaskView.Versioned older = pending.put(task.id(), new TaskView.Versioned(task, offset));
        long bytes = pendingBytes.addAndGet(TaskSize.of(task) - sizeOf(older));
        if (pending.size() >= FLUSH_PENDING || bytes >= FLUSH_PENDING_BYTES) {
            flush();
        }
    }

    private void dropPending(String taskId) {
        pendingBytes.addAndGet(-sizeOf(pending.remove(taskId)));
    }

    private static long sizeOf(TaskView.Versioned v) {
        return v == null ? 0 : TaskSize.of(v.task());
    }

    /** Estimated bytes of the tasks not in the maps yet (tests). */
    long pendingBytes() {
        return pendingBytes.get();
    }

    /** Writes the pending tasks into the maps (not committed: that is the checkpoint's). */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        writes.lock();
        try {
            for (Map.Entry<String, TaskView.Versioned> e : pending.entrySet()) {
                TaskView.Versioned v = e.getValue();
                write(Summary.of(v.task(), v.offset()), TaskJsonMemo.SHARED.json(v.task()));
                // a newer version put meanwhile stays pending (it goes in at the next flush)
                if (pending.remove(e.getKey(), v)) {
                    pendingBytes.addAndGet(-TaskSize.of(v.task()));
                }
            }
        } finally {
            writes.unlock();
        }
    }

    @Override
    public void putEncoded(Summary summary, byte[] json) {
        writes.lock();
        try {
            dropPending(summary.id()); // older: a caller puts a task's versions in order
            write(summary, json);
        } finally {
            writes.unlock();
        }
    }

    /** One task into every map; the caller holds the write lock. */
    private void write(Summary summary, byte[] json) {
        byte[] value = ByteBuffer.allocate(8 + json.length).putLong(summary.offset()).put(json).array();
        byte[] encoded = SummaryCodec.encode(summary);
        byte[] old = summaries.put(summary.id(), encoded);
        if (old != null) {
            Summary before = SummaryCodec.decode(old);
            newest.remove(key(before));
            count(before, -1);
        }
        count(summary, 1);
        newest.put(key(summary), encoded);
        tasks.put(summary.id(), value);
        if (summary.resident()) {
            resident.put(summary.id(), Boolean.TRUE);
        } else {
            resident.remove(summary.id());
        }
        unsaved += value.length + 2L * encoded.length;
        if (unsaved > COMMIT_BYTES) {
            commit();
        }
    }

    @Override
    public void remove(String taskId) {
        writes.lock();
        try {
            dropPending(taskId);
            byte[] old = summaries.remove(taskId);
            if (old != null) {
                Summary before = SummaryCodec.decode(old);
                newest.remove(key(before));
                count(before, -1);
            }
            tasks.remove(taskId);
            resident.remove(taskId);
        } finally {
            writes.unlock();
        }
    }

    @Override
    public Iterator<Summary> newestFirst(Instant afterTimestamp, String afterId) {
        flush();
        String from = afterTimestamp == null ? null : key(afterTimestamp, afterId);
        Cursor<String, byte[]> c = newest.cursor(from);
        return new Iterator<>() {
            private Summary next = advance();

            private Summary advance() {
                while (c.hasNext()) {
                    String k = c.next();
                    if (!k.equals(from)) {
                        return SummaryCodec.decode(c.getValue());
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Summary next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Summary s = next;
                next = advance();
                return s;
            }
        };
    }

    @Override
    public Map<Scope, Long> countsByScope() {
        flush();
        Map<Scope, Long> out = new HashMap<>();
        counts.forEach((k, n) -> {
            int cut = k.indexOf('\n');
            out.put(new Scope(unscope(k.substring(0, cut)), unscope(k.substring(cut + 1))), n);
        });
        return out;
    }

    private void count(Summary s, long delta) {
        String k = scope(s.owner()) + "\n" + scope(s.tenant());
        long n = counts.getOrDefault(k, 0L) + delta;
        if (n == 0) {
            counts.remove(k);
        } else {
            counts.put(k, n);
        }
    }

    /** A null owner or tenant as a string that no real one is (they are names, never a lone control character). */
    private static String scope(String s) {
        return s == null ? "\u0000" : s.replace("\n", "\u0001");
    }

    private static String unscope(String s) {
        return s.equals("\u0000") ? null : s.replace("\u0001", "\n");
    }

    @Override
    public List<Summary> resident() {
        flush();
        List<Summary> out = new ArrayList<>();
        for (String id : resident.keySet()) {
            summary(id).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public long size() {
        flush();
        return tasks.sizeAsLong();
    }

    @Override
    public Map<String, Long> checkpoint() {
        return new HashMap<>(checkpoint);
    }

    @Override
    public void checkpoint(Map<String, Long> positions) {
        writes.lock();
        try {
            flush(); // what the positions cover goes in first
            checkpoint.putAll(positions);
            commit();
            if (System.nanoTime() - lastCompact > COMPACT_EVERY_NANOS) {
                lastCompact = System.nanoTime();
                // rewrite chunks under half full (tasks in progress are rewritten on every event), at most 16 MiB
                mv.compact(50, 16 << 20);
            }
        } finally {
            writes.unlock();
        }
    }

    @Override
    public Optional<String> origin() {
        return Optional.ofNullable(info.get("origin"));
    }

    @Override
    public void reset(String origin) {
        writes.lock();
        try {
            pending.clear();
            pendingBytes.set(0);
            tasks.clear();
            summaries.clear();
            newest.clear();
            resident.clear();
            checkpoint.clear();
            counts.clear();
            if (origin == null) {
                info.remove("origin");
            } else {
                info.put("origin", origin);
            }
            commit();
        } finally {
            writes.unlock();
        }
    }

    private void commit() {
        mv.commit();
        unsaved = 0;
    }

    @Override
    public void close() {
        writes.lock();
        try {
            if (!mv.isClosed()) {
                flush();
                mv.close(200); // commits, then compacts for at most 200 ms
            }
        } catch (RuntimeException e) {
            LOG.warn("closing the task store failed", e);
        } finally {
            writes.unlock();
        }
    }

    /** Sorts newest first: status time descending, then id descending (the order of ListTasks). */
    static String key(Summary s) {
        return key(s.timestamp(), s.id());
    }

    static String key(Instant at, String id) {
        long nanos = Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L) + at.getNano();
        StringBuilder k = new StringBuilder(16 + 2 * id.length() + 1);
        String t = Long.toHexString(Long.MAX_VALUE - nanos);
        k.append("0".repeat(16 - t.length())).append(t);
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int inv = 255 - (b & 0xff);
            k.append(Character.forDigit(inv >> 4, 16)).append(Character.forDigit(inv & 15, 16));
        }
        // after every hex digit: a longer id (which sorts after its prefix ascending) comes first descending
        return k.append('g').toString();
    }
}
