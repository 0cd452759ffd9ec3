package run.codetether.tools.domain.edit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unified diff text between two versions of a file (for previews and metadata). Common prefix and suffix are
 * trimmed, the middle is diffed by LCS; a middle too large for LCS is shown as one replaced block (still a valid,
 * applicable diff, just less minimal).
 */
public final class LineDiff {

    private static final long MAX_LCS_CELLS = 4_000_000L;

    /** Diff text plus counts of added and removed lines. */
    public record Diff(String text, int added, int removed) {}

    private record Op(char kind, String line) {}

    private LineDiff() {}

    public static Diff unified(String path, String before, String after) {
        return unified(path, before, after, 3);
    }

    public static Diff unified(String path, String before, String after, int context) {
        String[] a = lines(before);
        String[] b = lines(after);
        List<Op> ops = ops(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
        int added = 0;
        int removed = 0;
        int i = 0;
        int aLine = 1;
        int bLine = 1;
        int[] aAt = new int[ops.size() + 1];
        int[] bAt = new int[ops.size() + 1];
        for (int k = 0; k < ops.size(); k++) {
            aAt[k] = aLine;
            bAt[k] = bLine;
            char c = ops.get(k).kind();
            if (c != '+') {
                aLine++;
            }
            if (c != '-') {
                bLine++;
            }
            if (c == '+') {
                added++;
            } else if (c == '-') {
                removed++;
            }
        }
        while (i < ops.size()) {
            if (ops.get(i).kind() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            int end = i;
            int lastChange = i;
            while (end < ops.size()) {
                if (ops.get(end).kind() != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * context) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + context + 1);
            int aCount = 0;
            int bCount = 0;
            for (int k = start; k < end; k++) {
                char c = ops.get(k).kind();
                aCount += c != '+' ? 1 : 0;
                bCount += c != '-' ? 1 : 0;
            }
            int aStart = aCount == 0 ? aAt[start] - 1 : aAt[start];
            int bStart = bCount == 0 ? bAt[start] - 1 : bAt[start];
            out.append("@@ -").append(aStart).append(',').append(aCount).append(" +").append(bStart).append(',')
                    .append(bCount).append(" @@\n");
            for (int k = start; k < end; k++) {
                out.append(ops.get(k).kind()).append(ops.get(k).line()).append('\n');
            }
            i = end;
        }
        return new Diff(out.toString(), added, removed);
    }

    static String[] lines(String s) {
        if (s.isEmpty()) {
            return new String[0];
        }
        String[] parts = s.split("\n", -1);
        return s.endsWith("\n") ? Arrays.copyOf(parts, parts.length - 1) : parts;
    }

    private static List<Op> ops(String[] a, String[] b) {
        int pre = 0;
        while (pre < a.length && pre < b.length && a[pre].equals(b[pre])) {
            pre++;
        }
        int suf = 0;
        while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf].equals(b[b.length - 1 - suf])) {
            suf++;
        }
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < pre; k++) {
            ops.add(new Op(' ', a[k]));
        }
        int n = a.length - pre - suf;
        int m = b.length - pre - suf;
        if ((long) n * m > MAX_LCS_CELLS) {
            for (int k = 0; k < n; k++) {
                ops.add(new Op('-', a[pre + k]));
            }
            for (int k = 0; k < m; k++) {
                ops.add(new Op('+', b[pre + k]));
            }
        } else {
            int[][] lcs = new int[n + 1][m + 1];
            for (int x = n - 1; x >= 0; x--) {
                for (int y = m - 1; y >= 0; y--) {
                    lcs[x][y] = a[pre + x].equals(b[pre + y]) ? lcs[x + 1][y + 1] + 1
                            : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
                }
            }
            int x = 0;
            int y = 0;
            while (x < n || y < m) {
                if (x < n && y < m && a[pre + x].equals(b[pre + y])) {
                    ops.add(new Op(' ', a[pre + x]));
                    x++;
                    y++;
                } else if (x < n && (y == m || lcs[x + 1][y] >= lcs[x][y + 1])) {
                    // on a tie the old line goes first, as git shows a replaced line: "-old" then "+new"
                    ops.add(new Op('-', a[pre + x]));
                    x++;
                } else {
                    ops.add(new Op('+', b[pre + y]));
                    y++;
                }
            }
        }
        for (int k = a.length - suf; k < a.length; k++) {
            ops.add(new Op(' ', a[k]));
        }
        return ops;
    }
}
