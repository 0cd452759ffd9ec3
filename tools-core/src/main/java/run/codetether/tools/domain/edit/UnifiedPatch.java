package run.codetether.tools.domain.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;

/**
 * A parsed unified diff (as {@code diff -u} or {@code git diff} write it) and its exact application. Hunks must
 * match exactly (no fuzz); a hunk may move from its stated line when the file shifted, and the nearest exact match
 * wins. Every failure names the file and hunk and shows the first line that differed.
 */
public final class UnifiedPatch {

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*$");

    /** One file's changes; {@code oldPath == null} creates the file, {@code newPath == null} deletes it. */
    public record FilePatch(String oldPath, String newPath, List<Hunk> hunks, boolean newNoEol) {

        public String target() {
            return newPath != null ? newPath : oldPath;
        }
    }

    /** One hunk: the header's numbers and its lines, each prefixed with ' ', '-' or '+'. */
    public record Hunk(int index, String header, int oldStart, int oldCount, int newStart, int newCount,
            List<String> lines) {}

    private UnifiedPatch() {}

    public static List<FilePatch> parse(String patch) {
        String[] lines = patch.replace("\r\n", "\n").split("\n", -1);
        List<FilePatch> files = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            if (!lines[i].startsWith("--- ")) {
                i++;
                continue;
            }
            if (i + 1 >= lines.length || !lines[i + 1].startsWith("+++ ")) {
                throw patchError("line " + (i + 1) + ": '---' header is not followed by a '+++' header");
            }
            String oldPath = path(lines[i].substring(4));
            String newPath = path(lines[i + 1].substring(4));
            i += 2;
            List<Hunk> hunks = new ArrayList<>();
            boolean newNoEol = false;
            while (i < lines.length && lines[i].startsWith("@@")) {
                Matcher m = HUNK.matcher(lines[i]);
                if (!m.matches()) {
                    throw patchError("line " + (i + 1) + ": malformed hunk header '" + lines[i] + "'");
                }
                String header = lines[i];
                int oldStart = Integer.parseInt(m.group(1));
                int oldCount = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                int newStart = Integer.parseInt(m.group(3));
                int newCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
                i++;
                List<String> body = new ArrayList<>();
                int seenOld = 0;
                int seenNew = 0;
                while (i < lines.length && (seenOld < oldCount || seenNew < newCount)) {
                    String l = lines[i];
                    if (l.isEmpty() && i == lines.length - 1) {
                        break; // the end of the text, not a blank context line
                    }
                    if (l.startsWith("\\")) {
                        i++;
                        continue;
                    }
                    char c = l.isEmpty() ? ' ' : l.charAt(0);
                    String text = l.isEmpty() ? "" : l.substring(1);
                    switch (c) {
                        case ' ' -> { seenOld++; seenNew++; }
                        case '-' -> seenOld++;
                        case '+' -> seenNew++;
                        default -> throw patchError("hunk " + (hunks.size() + 1) + " (" + header + ") of "
                                + (newPath != null ? newPath : oldPath) + ": line " + (i + 1)
                                + " starts with '" + c + "'; hunk lines must start with ' ', '-' or '+'"
                                + " (the header's line counts may be wrong)");
                    }
                    body.add(c + text);
                    i++;
                }
                if (seenOld != oldCount || seenNew != newCount) {
                    throw patchError("hunk " + (hunks.size() + 1) + " (" + header + ") of "
                            + (newPath != null ? newPath : oldPath) + " ends early: header says -" + oldCount + " +"
                            + newCount + " lines, found -" + seenOld + " +" + seenNew);
                }
                if (i < lines.length && lines[i].startsWith("\\")) {
                    newNoEol = body.get(body.size() - 1).charAt(0) != '-';
                    i++;
                }
                hunks.add(new Hunk(hunks.size() + 1, header, oldStart, oldCount, newStart, newCount, body));
            }
            if (hunks.isEmpty()) {
                throw patchError("file " + (newPath != null ? newPath : oldPath) + " has no hunks");
            }
            if (oldPath == null && newPath == null) {
                throw patchError("a file patch has /dev/null on both sides");
            }
            files.add(new FilePatch(oldPath, newPath, hunks, newNoEol));
        }
        if (files.isEmpty()) {
            throw patchError("no file headers found; expected a unified diff with '--- a/path' and '+++ b/path' lines"
                    + " followed by '@@ -l,n +l,n @@' hunks");
        }
        return files;
    }

    /** Applies one file's hunks to its current content ({@code ""} for a new file); returns the new content. */
    public static String apply(FilePatch fp, String content) {
        List<String> lines = new ArrayList<>(List.of(LineDiff.lines(content)));
        int shift = 0;
        int floor = 0;
        for (Hunk h : fp.hunks()) {
            List<String> old = new ArrayList<>();
            List<String> neu = new ArrayList<>();
            for (String l : h.lines()) {
                char c = l.charAt(0);
                if (c != '+') {
                    old.add(l.substring(1));
                }
                if (c != '-') {
                    neu.add(l.substring(1));
                }
            }
            int expected = Math.max(0, (h.oldCount() == 0 ? h.oldStart() : h.oldStart() - 1) + shift);
            int at = find(lines, old, expected, floor);
            if (at < 0) {
                throw patchError(mismatch(fp, h, lines, old, Math.min(expected, lines.size())));
            }
            for (int k = 0; k < old.size(); k++) {
                lines.remove(at);
            }
            lines.addAll(at, neu);
            shift += neu.size() - old.size() + (at - expected);
            floor = at + neu.size();
        }
        if (lines.isEmpty()) {
            return "";
        }
        return String.join("\n", lines) + (fp.newNoEol() ? "" : "\n");
    }

    private static int find(List<String> lines, List<String> old, int expected, int floor) {
        int best = -1;
        for (int at = floor; at + old.size() <= lines.size(); at++) {
            if (matchesAt(lines, old, at) && (best < 0 || Math.abs(at - expected) < Math.abs(best - expected))) {
                best = at;
            }
        }
        return best;
    }

    private static boolean matchesAt(List<String> lines, List<String> old, int at) {
        for (int k = 0; k < old.size(); k++) {
            if (!lines.get(at + k).equals(old.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static String mismatch(FilePatch fp, Hunk h, List<String> lines, List<String> old, int expected) {
        String where = "hunk " + h.index() + " (" + h.header() + ") of " + fp.target() + " does not apply";
        for (int k = 0; k < old.size(); k++) {
            int line = expected + k;
            if (line >= lines.size()) {
                return where + ": the file has only " + lines.size() + " lines, the hunk expects line " + (line + 1)
                        + " to be '" + old.get(k) + "'";
            }
            if (!lines.get(line).equals(old.get(k))) {
                return where + ": line " + (line + 1) + " is '" + lines.get(line) + "' but the hunk expects '"
                        + old.get(k) + "' (and no exact match of the hunk's context was found elsewhere)";
            }
        }
        return where + ": its context was not found in the file";
    }

    private static String path(String header) {
        String p = header.split("\t", 2)[0].strip();
        if (p.equals("/dev/null")) {
            return null;
        }
        if (p.startsWith("a/") || p.startsWith("b/")) {
            p = p.substring(2);
        }
        return p;
    }

    private static ToolException patchError(String msg) {
        return new ToolException(Code.PATCH_FAILED, msg);
    }
}
