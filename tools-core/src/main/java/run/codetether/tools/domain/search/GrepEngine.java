package run.codetether.tools.domain.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

/**
 * Regex search over a tree. The walk and the search run together on a bounded fork/join pool (one task per
 * directory), so listing and reading overlap; each file is stat'ed once (by the walk), opened without following
 * links and read into a per-thread buffer; a query with a literal rejects non-matching files on the raw bytes
 * before any UTF-8 decoding. Binary files and files above {@code maxFileBytes} are skipped, results come back
 * sorted by path and line. Once well past the limit the remaining files are skipped, so a search for "e" in a huge
 * repo stays cheap; a truncated result is then the first matches of the files searched, not necessarily the first
 * in path order.
 */
public final class GrepEngine {

    /** Matches (sorted, at most the limit), whether more existed, and how many files were searched. */
    public record Result(List<GrepMatch> matches, boolean truncated, int filesSearched) {}

    /** Threads of the shared pool; bounded (see {@code codetether.tools.grep-threads}). */
    private final ForkJoinPool pool;

    /** Files up to this size are read into a reused per-thread buffer; larger ones get their own array. */
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[BUFFER_BYTES]);

    private final long maxFileBytes;

    /** With {@link #defaultThreads()} threads. */
    public GrepEngine(long maxFileBytes) {
        this(maxFileBytes, defaultThreads());
    }

    /** @param threads of the fork/join pool every search of this engine shares */
    public GrepEngine(long maxFileBytes, int threads) {
        this.maxFileBytes = maxFileBytes;
        this.pool = new ForkJoinPool(threads);
    }

    /**
     * Two threads per core, between 2 and 16: a search is mostly system calls (stat, open, read), and a thread
     * waiting on a cold page cache leaves its core to another.
     */
    public static int defaultThreads() {
        return Math.max(2, Math.min(16, 2 * Runtime.getRuntime().availableProcessors()));
    }

    public Result search(GrepQuery q) {
        Scan scan = new Scan(q);
        Acc acc;
        if (Files.isRegularFile(q.root())) {
            acc = new Acc();
            acc.files = 1;
            try {
                try (SeekableByteChannel ch = Files.newByteChannel(q.root(), StandardOpenOption.READ)) {
                    acc.matches.addAll(scan.searchFile(q.root(), ch, Files.size(q.root())));
                }
            } catch (IOException e) {
                // unreadable: no matches, as for files found by the walk
            }
        } else {
            if (!Files.isDirectory(q.root())) {
                throw new UncheckedIOException(new IOException("not a directory: " + q.root()));
            }
            acc = pool.invoke(new DirTask(scan, q.root(), null));
        }
        List<GrepMatch> all = acc.matches;
        all.sort(Comparator.comparing(GrepMatch::file).thenComparingInt(GrepMatch::line));
        boolean truncated = all.size() > q.limit();
        return new Result(truncated ? List.copyOf(all.subList(0, q.limit())) : all, truncated, acc.files);
    }

    /** What a directory's subtree contributed. */
    private static final class Acc {
        final List<GrepMatch> matches = new ArrayList<>();
        int files;

        void add(Acc other) {
            matches.addAll(other.matches);
            files += other.files;
        }
    }

    /**
     * One directory: its files are searched here, its subdirectories forked. On Linux the directory is a
     * {@link SecureDirectoryStream}: entries are stat'ed and opened relative to the directory's descriptor
     * (fstatat/openat, no link followed), so the kernel does not walk the whole path again for every file, and a
     * directory swapped for a symlink during the walk cannot lead it out of the tree. Children open their stream
     * from this one, which stays open until they are joined.
     */
    private static final class DirTask extends RecursiveTask<Acc> {
        private static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        private final transient Scan scan;
        private final transient Path dir;
        private final transient SecureDirectoryStream<Path> parent;

        DirTask(Scan scan, Path dir, SecureDirectoryStream<Path> parent) {
            this.scan = scan;
            this.dir = dir;
            this.parent = parent;
        }

        @Override
        protected Acc compute() {
            Acc acc = new Acc();
            List<DirTask> subs = new ArrayList<>();
            try (DirectoryStream<Path> entries = parent == null ? Files.newDirectoryStream(dir)
                    : parent.newDirectoryStream(dir.getFileName(), LinkOption.NOFOLLOW_LINKS)) {
                SecureDirectoryStream<Path> sds = entries instanceof SecureDirectoryStream<Path> s ? s : null;
                for (Path p : entries) {
                    BasicFileAttributes a;
                    try {
                        a = sds == null ? Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                                : sds.getFileAttributeView(p.getFileName(), BasicFileAttributeView.class,
                                        LinkOption.NOFOLLOW_LINKS).readAttributes();
                    } catch (IOException e) {
                        continue; // vanished or unreadable, like a failed visit of the old walk
                    }
                    if (a.isDirectory()) {
                        if (scan.enterDirectory(p)) {
                            DirTask t = new DirTask(scan, p, sds);
                            t.fork();
                            subs.add(t);
                        }
                    } else if (a.isRegularFile() && scan.includeFile(p)) {
                        acc.files++;
                        if (a.size() <= scan.maxFileBytes() && !scan.enough()) {
                            try (SeekableByteChannel ch = sds == null ? Files.newByteChannel(p, READ_NOFOLLOW)
                                    : sds.newByteChannel(p.getFileName(), READ_NOFOLLOW)) {
                                acc.matches.addAll(scan.searchFile(p, ch, a.size()));
                            } catch (IOException e) {
                                // unreadable (or replaced by a link since the stat): skipped
                            }
                        }
                    }
                }
                // joined inside the try: the children open their streams from this one
                for (DirTask t : subs) {
                    acc.add(t.join());
                }
            } catch (IOException | DirectoryIteratorException | ClosedDirectoryStreamException e) {
                // an unreadable directory is skipped, as before
                for (DirTask t : subs) {
                    acc.add(t.join());
                }
            }
            return acc;
        }
    }

    /** The per-query state shared by the tasks: filters, the pattern and the match counter for the early stop. */
    private final class Scan {
        private final GrepQuery q;
        private final List<PathMatcher> inc;
        private final List<PathMatcher> exc;
        private final AtomicInteger found = new AtomicInteger();
        private final int stopAt;
        private final Horspool literal;

        Scan(GrepQuery q) {
            this.q = q;
            this.inc = FileWalker.matchers(q.include());
            this.exc = FileWalker.matchers(q.exclude());
            this.stopAt = (q.limit() + 1) * 4;
            this.literal = q.literal() == null || q.literal().isEmpty() ? null
                    : new Horspool(q.literal().getBytes(StandardCharsets.ISO_8859_1));
        }

        long maxFileBytes() {
            return maxFileBytes;
        }

        boolean enough() {
            return found.get() >= stopAt;
        }

        boolean enterDirectory(Path dir) {
            return !FileWalker.SKIPPED_DIRS.contains(dir.getFileName().toString())
                    && (exc.isEmpty() || !FileWalker.matchesAny(exc, q.root().relativize(dir)));
        }

        boolean includeFile(Path file) {
            if (inc.isEmpty() && exc.isEmpty()) {
                return true;
            }
            Path rel = q.root().relativize(file);
            return (inc.isEmpty() || FileWalker.matchesAny(inc, rel)) && !FileWalker.matchesAny(exc, rel);
        }

        List<GrepMatch> searchFile(Path file, SeekableByteChannel ch, long size) throws IOException {
            if (size > maxFileBytes) {
                return List.of();
            }
            byte[] buf = size <= BUFFER_BYTES ? BUFFER.get() : new byte[(int) size];
            int n = read(ch, buf, (int) size);
            if (literal != null && !literal.occursIn(buf, n)) {
                return List.of(); // cheap reject on the raw bytes: most files of a big repo do not match
            }
            if (looksBinary(buf, n)) {
                return List.of();
            }
            return matches(file, new String(buf, 0, n, StandardCharsets.UTF_8), q, found);
        }
    }

    /**
     * Boyer-Moore-Horspool over raw bytes: a file without the literal is rejected without copying or decoding it
     * (for a 15-byte literal most steps skip 15 bytes), and a search allocates nothing per file.
     */
    static final class Horspool {
        private final byte[] needle;
        private final int[] shift = new int[256];

        Horspool(byte[] needle) {
            this.needle = needle;
            java.util.Arrays.fill(shift, needle.length);
            for (int i = 0; i < needle.length - 1; i++) {
                shift[needle[i] & 0xFF] = needle.length - 1 - i;
            }
        }

        boolean occursIn(byte[] hay, int n) {
            int m = needle.length;
            int last = m - 1;
            byte lastByte = needle[last];
            for (int i = 0; i <= n - m; i += shift[hay[i + last] & 0xFF]) {
                if (hay[i + last] == lastByte && java.util.Arrays.equals(hay, i, i + last, needle, 0, last)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Reads up to {@code size} bytes (the size the walk saw). */
    private static int read(SeekableByteChannel ch, byte[] buf, int size) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, size);
        while (bb.hasRemaining() && ch.read(bb) > 0) {
            // a short read: keep reading until the size seen by the walk or the end of the file
        }
        return bb.position();
    }

    /** A NUL byte in the first 8 KiB marks a file as binary, as git and grep decide. */
    private static boolean looksBinary(byte[] bytes, int n) {
        int end = Math.min(n, 8192);
        for (int i = 0; i < end; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static List<GrepMatch> matches(Path file, String text, GrepQuery q, AtomicInteger found) {
        Matcher m = q.pattern().matcher(text);
        List<GrepMatch> out = new ArrayList<>();
        int pos = 0;
        int line = 1;
        int counted = 0;
        // One pass over the whole text (no per-line split): find a match, report its line, continue after it.
        while (pos <= text.length() && m.find(pos)) {
            int start = m.start();
            int lineStart = text.lastIndexOf('\n', start - 1) + 1;
            if (start == text.length() && lineStart == start) {
                break; // an empty match after the final newline (or in an empty file) is not a line
            }
            int lineEnd = text.indexOf('\n', start);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            line += newlines(text, counted, lineStart);
            counted = lineStart;
            List<GrepMatch.Line> before = q.contextLines() == 0 ? List.of() : before(text, lineStart, line, q.contextLines());
            List<GrepMatch.Line> after = q.contextLines() == 0 ? List.of() : after(text, lineEnd, line, q.contextLines());
            out.add(new GrepMatch(file, line, strip(text.substring(lineStart, lineEnd)), before, after));
            if (found.incrementAndGet() > q.limit() * 4 + 4) {
                break;
            }
            pos = lineEnd + 1;
        }
        return out;
    }

    private static int newlines(String text, int from, int to) {
        int n = 0;
        for (int i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
            n++;
        }
        return n;
    }

    private static String strip(String l) {
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }

    private static List<GrepMatch.Line> before(String text, int lineStart, int line, int n) {
        List<GrepMatch.Line> out = new ArrayList<>();
        int end = lineStart - 1;
        for (int k = 1; k <= n && end >= 0; k++) {
            int start = text.lastIndexOf('\n', end - 1) + 1;
            out.add(0, new GrepMatch.Line(line - k, strip(text.substring(start, end))));
            end = start - 1;
        }
        return out;
    }

    private static List<GrepMatch.Line> after(String text, int lineEnd, int line, int n) {
        List<GrepMatch.Line> out = new ArrayList<>();
        int start = lineEnd + 1;
        for (int k = 1; k <= n && start < text.length(); k++) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            out.add(new GrepMatch.Line(line + k, strip(text.substring(start, end))));
            start = end + 1;
        }
        return out;
    }
}
