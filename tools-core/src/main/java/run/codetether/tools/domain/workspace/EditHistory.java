package run.codetether.tools.domain.workspace;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import run.codetether.tools.domain.ToolException;

/**
 * Per-session stack of applied changes (one entry per edit/multiedit/patch/write call), newest first, bounded so a
 * long session cannot hold unbounded memory; the oldest entries drop off. Thread-safe. With a state directory every
 * entry is also a file there ({@code <sequence>.undo}, written atomically), so undo survives a restart of the
 * service; a torn or unreadable entry file is skipped when loading, never half-applied.
 */
public final class EditHistory {

    /** One applied call: its tool, a summary and the snapshots that undo it. */
    public record Entry(String tool, String summary, List<FileSnapshot> snapshots) {}

    private record Stored(long seq, Entry entry) {}

    private static final int FORMAT = 1;
    private static final Logger LOG = Logger.getLogger(EditHistory.class);

    private final int capacity;
    private final Path dir;
    private final Deque<Stored> entries = new ArrayDeque<>();
    private long nextSeq;
    /** Not synchronized: a virtual thread that waits here (behind an fsync) must not pin its carrier. */
    private final ReentrantLock lock = new ReentrantLock();

    /** In memory only. */
    public EditHistory(int capacity) {
        this(capacity, null);
    }

    /** Persisted under {@code dir} (created on the first push), loading what an earlier process left there. */
    public EditHistory(int capacity, Path dir) {
        this.capacity = capacity;
        this.dir = dir;
        if (dir != null && Files.isDirectory(dir)) {
            load();
        }
    }

    public void push(Entry entry) {
        lock.lock();
        try {
            long seq = nextSeq++;
            entries.push(new Stored(seq, entry));
            if (dir != null) {
                try {
                    Durable.writeAtomic(dir, String.format("%019d.undo", seq), encode(entry));
                } catch (ToolException e) {
                    // The change is applied and undoable in this process; only a restart would forget it.
                    LOG.warnf("undo entry not persisted: %s", e.getMessage());
                }
            }
            while (entries.size() > capacity) {
                delete(entries.removeLast());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The newest {@code n} entries, newest first, without removing them. */
    public List<Entry> peek(int n) {
        lock.lock();
        try {
            return entries.stream().limit(n).map(Stored::entry).toList();
        } finally {
            lock.unlock();
        }
    }

    public List<Entry> pop(int n) {
        lock.lock();
        try {
            List<Entry> out = new ArrayList<>();
            for (int i = 0; i < n && !entries.isEmpty(); i++) {
                Stored s = entries.pop();
                delete(s);
                out.add(s.entry());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private void delete(Stored s) {
        if (dir != null) {
            try {
                Files.deleteIfExists(dir.resolve(String.format("%019d.undo", s.seq())));
            } catch (IOException e) {
                // the entry is gone from memory; a restart could bring it back, so say so
                LOG.warnf("undo entry file not deleted: %s", e);
            }
        }
    }

    private void load() {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d{19}\\.undo")).sorted().toList();
        } catch (IOException e) {
            throw new ToolException(ToolException.Code.IO_ERROR, "cannot read the undo history in " + dir + ": "
                    + e.getMessage(), e);
        }
        for (Path f : files) {
            try {
                long seq = Long.parseLong(f.getFileName().toString().substring(0, 19));
                nextSeq = Math.max(nextSeq, seq + 1);
                entries.push(new Stored(seq, decode(Files.readAllBytes(f))));
            } catch (IOException | RuntimeException e) {
                // a file cut short by a crash before its rename cannot exist (atomic writes); anything else is skipped
            }
        }
        while (entries.size() > capacity) {
            delete(entries.removeLast());
        }
    }

    static byte[] encode(Entry e) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out =
                new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            writeString(out, e.tool());
            writeString(out, e.summary());
            out.writeInt(e.snapshots().size());
            for (FileSnapshot s : e.snapshots()) {
                writeString(out, s.path().toString());
                out.writeInt(s.before() == null ? -1 : s.before().length);
                if (s.before() != null) {
                    out.write(s.before());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Entry decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readInt() != FORMAT) {
            throw new IOException("unknown undo entry format");
        }
        String tool = readString(in);
        String summary = readString(in);
        int n = in.readInt();
        List<FileSnapshot> snaps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Path path = Path.of(readString(in));
            int len = in.readInt();
            snaps.add(new FileSnapshot(path, len < 0 ? null : in.readNBytes(len)));
        }
        return new Entry(tool, summary, snaps);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > (64 << 20)) {
            throw new IOException("corrupt undo entry");
        }
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }
}
