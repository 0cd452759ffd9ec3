package run.codetether.bench.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import run.codetether.tools.domain.search.FileWalker;
import run.codetether.tools.domain.search.GrepMatch;
import run.codetether.tools.domain.search.GrepQuery;
import run.codetether.tools.domain.workspace.FileStore;

/**
 * The grep engine as it was before the parallel walk (commit 35ad797), kept only as the benchmark's baseline.
 * Regex search over a tree. Files are searched in parallel (the walk is cheap, reading and matching is not), binary
 * files and files above {@code maxFileBytes} are skipped, results come back sorted by path and line. Once well past
 * the limit the remaining files are skipped, so a search for "e" in a huge repo stays cheap; a truncated result
 * is then the first matches of the files searched, not necessarily the first in path order.
 */
final class LegacyGrepEngine {

    /** Matches (sorted, at most the limit), whether more existed, and how many files were searched. */
    record Result(List<GrepMatch> matches, boolean truncated, int filesSearched) {}

    private final long maxFileBytes;

    LegacyGrepEngine(long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
    }

    public Result search(GrepQuery q) {
        List<Path> files = FileWalker.files(q.root(), q.include(), q.exclude());
        AtomicInteger found = new AtomicInteger();
        int stopAt = q.limit() + 1;
        List<List<GrepMatch>> perFile = files.parallelStream()
                .map(f -> found.get() >= stopAt * 4 ? List.<GrepMatch>of() : searchFile(f, q, found))
                .toList();
        List<GrepMatch> all = new ArrayList<>();
        perFile.forEach(all::addAll);
        all.sort(Comparator.comparing(GrepMatch::file).thenComparingInt(GrepMatch::line));
        boolean truncated = all.size() > q.limit();
        return new Result(truncated ? List.copyOf(all.subList(0, q.limit())) : all, truncated, files.size());
    }

    private List<GrepMatch> searchFile(Path file, GrepQuery q, AtomicInteger found) {
        byte[] bytes;
        try {
            if (Files.size(file) > maxFileBytes) {
                return List.of();
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return List.of();
        }
        if (q.literal() != null && !containsLiteral(bytes, q.literal())) {
            return List.of(); // cheap reject before decoding: most files of a big repo do not match
        }
        if (FileStore.looksBinary(bytes)) {
            return List.of();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
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

    /** Byte search via Latin-1 strings: a plain copy, and String.indexOf is vectorised by the JVM. */
    private static boolean containsLiteral(byte[] haystack, String latin1Needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(latin1Needle);
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
