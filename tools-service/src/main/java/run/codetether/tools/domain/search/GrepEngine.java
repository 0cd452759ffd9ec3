package run.codetether.tools.domain.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import run.codetether.tools.domain.workspace.FileStore;

/**
 * Regex search over a tree. Files are searched in parallel (the walk is cheap, reading and matching is not), binary
 * files and files above {@code maxFileBytes} are skipped, results come back sorted by path and line. Once well past
 * the limit the remaining files are skipped, so a search for "e" in a huge repo stays cheap; a truncated result
 * is then the first matches of the files searched, not necessarily the first in path order.
 */
public final class GrepEngine {

    /** Matches (sorted, at most the limit), whether more existed, and how many files were searched. */
    public record Result(List<GrepMatch> matches, boolean truncated, int filesSearched) {}

    private final long maxFileBytes;

    public GrepEngine(long maxFileBytes) {
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
        if (FileStore.looksBinary(bytes)) {
            return List.of();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        Matcher quick = q.pattern().matcher(text);
        if (!quick.find()) {
            return List.of();
        }
        String[] lines = text.split("\r?\n", -1);
        int n = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        List<GrepMatch> out = new ArrayList<>();
        Matcher m = q.pattern().matcher("");
        for (int i = 0; i < n; i++) {
            if (m.reset(lines[i]).find()) {
                out.add(new GrepMatch(file, i + 1, lines[i], context(lines, i - q.contextLines(), i, n),
                        context(lines, i + 1, i + 1 + q.contextLines(), n)));
                if (found.incrementAndGet() > q.limit() * 4 + 4) {
                    break;
                }
            }
        }
        return out;
    }

    private static List<GrepMatch.Line> context(String[] lines, int from, int to, int n) {
        List<GrepMatch.Line> out = new ArrayList<>();
        for (int i = Math.max(0, from); i < Math.min(to, n); i++) {
            out.add(new GrepMatch.Line(i + 1, lines[i]));
        }
        return out;
    }
}
