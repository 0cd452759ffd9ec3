package run.codetether.agent.domain.rlm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The content an RLM run explores, held outside the prompt, with the read-only views the model may ask for. Lines
 * are split on '\n' (a trailing '\r' is dropped, a final newline ends the last line as Rust's {@code lines()}
 * does). Immutable, so nested analyses share slices of it safely. Regex searches run on a character sequence
 * that counts its reads, so a pathological pattern fails with a clear error instead of pinning a CPU.
 */
public final class RlmContent {
    /** Character reads one regex command may make (about a second of work). */
    static final long REGEX_BUDGET = 200_000_000L;

    private final String text;
    private final int[] lineStarts;
    private final int lineCount;

    public RlmContent(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        if (!text.isEmpty()) {
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n' && i + 1 < text.length()) {
                    starts.add(i + 1);
                }
            }
        }
        lineCount = starts.size();
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    public String text() {
        return text;
    }

    public int chars() {
        return text.length();
    }

    public int lines() {
        return lineCount;
    }

    /** ~4 characters per token, as the original's estimate. */
    public long estimatedTokens() {
        return (text.length() + 3L) / 4;
    }

    /** Line {@code i}, 0-based, without its line break. */
    public String line(int i) {
        int start = lineStarts[i];
        int end = i + 1 < lineCount ? lineStarts[i + 1] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\n') {
            end--;
        }
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(start, end);
    }

    /** Lines [from, to) joined by '\n'; bounds are clamped. */
    public String lineRange(int from, int to) {
        int a = Math.max(0, Math.min(from, lineCount));
        int b = Math.max(a, Math.min(to, lineCount));
        StringBuilder out = new StringBuilder();
        for (int i = a; i < b; i++) {
            if (i > a) {
                out.append('\n');
            }
            out.append(line(i));
        }
        return out.toString();
    }

    public String head(int n) {
        return lineRange(0, n);
    }

    public String tail(int n) {
        return lineRange(lineCount - n, lineCount);
    }

    /** Characters [start, end), clamped as the original's slice. */
    public String slice(int start, int end) {
        int b = Math.max(0, Math.min(end, text.length()));
        int a = Math.max(0, Math.min(start, b));
        return text.substring(a, b);
    }

    /** The bounds [first line, end line) of chunk {@code i} (0-based) of {@code n} equal line chunks. */
    public int[] chunkBounds(int i, int n) {
        int size = Math.max(1, (lineCount + n - 1) / n);
        int from = Math.min(i * size, lineCount);
        return new int[] {from, Math.min(from + size, lineCount)};
    }

    /** A compiled pattern: a regex, or the literal text when it is not a valid regex (as the original). */
    public record Search(Pattern pattern, String note) {}

    public static Search compile(String pattern) {
        try {
            return new Search(Pattern.compile(pattern), "");
        } catch (PatternSyntaxException e) {
            return new Search(Pattern.compile(Pattern.quote(pattern)),
                    "(not a valid regex: " + e.getDescription() + "; matched as literal text)\n");
        }
    }

    /** 1-based numbers of the lines that match, at most {@code limit}; {@code total[0]} gets the full count. */
    public List<Integer> grep(Search s, int limit, int[] total) {
        List<Integer> hits = new ArrayList<>();
        Budget budget = new Budget();
        for (int i = 0; i < lineCount; i++) {
            if (s.pattern().matcher(new Counted(line(i), budget)).find()) {
                total[0]++;
                if (hits.size() < limit) {
                    hits.add(i + 1);
                }
            }
        }
        return hits;
    }

    public int count(Search s) {
        Matcher m = s.pattern().matcher(new Counted(text, new Budget()));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Thrown when a regex command used up its budget of character reads. */
    public static final class TooExpensive extends RuntimeException {
        public TooExpensive() {
            super("the pattern is too expensive on this content (catastrophic backtracking?); use a simpler pattern",
                    null, false, false);
        }
    }

    private static final class Budget {
        long left = REGEX_BUDGET;
    }

    /** A CharSequence that charges every read to a budget; the regex engine reads through it. */
    private record Counted(CharSequence s, Budget budget) implements CharSequence {
        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget.left < 0) {
                throw new TooExpensive();
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counted(s.subSequence(start, end), budget);
        }

        @Override
        public String toString() {
            return s.toString();
        }
    }
}
