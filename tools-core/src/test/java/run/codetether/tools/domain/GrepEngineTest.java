package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.search.GrepEngine;
import run.codetether.tools.domain.search.GrepMatch;
import run.codetether.tools.domain.search.GrepQuery;

class GrepEngineTest {

    @TempDir
    Path root;

    List<String> run(String pattern, boolean regex, boolean cs, int context) {
        var r = new GrepEngine(1 << 20).search(GrepQuery.of(pattern, regex, cs, root, List.of(), List.of(), context,
                100));
        return r.matches().stream().map(m -> m.file().getFileName() + ":" + m.line() + ":" + m.text()
                + m.before().stream().map(GrepMatch.Line::text).toList()
                + m.after().stream().map(GrepMatch.Line::text).toList()).toList();
    }

    @Test
    void linesNumbersAnchorsAndContext() throws Exception {
        Files.writeString(root.resolve("a.txt"), "first\r\nsecond line\nthird\nfourth line\n");
        Files.writeString(root.resolve("b.txt"), "");
        Files.write(root.resolve("c.bin"), new byte[] {'l', 'i', 'n', 'e', 0, 1});
        assertEquals(List.of("a.txt:2:second line[][]", "a.txt:4:fourth line[][]"), run("line", false, true, 0));
        assertEquals(List.of("a.txt:3:third[second line][fourth line]"), run("^th", true, true, 1));
        assertEquals(List.of("a.txt:1:first[][second line, third]"), run("first$", true, true, 2));
        assertEquals(List.of("a.txt:4:fourth line[second line, third][]"), run("FOURTH", false, false, 2));
        assertTrue(run("FOURTH", false, true, 0).isEmpty());
        assertEquals(4, run("", true, true, 0).size(), "an empty pattern matches every line once");
    }

    @Test
    void deepTreeIsSearchedInPathOrderSkippingLinksFifosAndVendorDirs() throws Exception {
        for (int d = 0; d < 12; d++) {
            for (int f = 0; f < 12; f++) {
                Path dir = Files.createDirectories(root.resolve("d" + d).resolve("e" + (f % 3)));
                Files.writeString(dir.resolve("f" + f + ".rs"), "x\n".repeat(f) + "needle " + d + "/" + f + "\n");
            }
        }
        Files.createDirectories(root.resolve("d3/node_modules"));
        Files.writeString(root.resolve("d3/node_modules/m.rs"), "needle vendored\n");
        Files.writeString(root.resolve("d4/big.txt"), "needle " + "y".repeat(2 << 20) + "\n");
        Files.createSymbolicLink(root.resolve("d5/link.rs"), root.resolve("d0/e0/f0.rs"));
        Files.createSymbolicLink(root.resolve("d5/dirlink"), root.resolve("d0"));
        new ProcessBuilder("mkfifo", root.resolve("d6/pipe.rs").toString()).start().waitFor();
        var engine = new GrepEngine(1 << 20);
        var all = engine.search(GrepQuery.of("needle", false, true, root, List.of(), List.of(), 0, 1000));
        assertEquals(144, all.matches().size(), "one per real file; no vendored, linked or oversized hits");
        var sorted = all.matches().stream().sorted(java.util.Comparator.comparing(GrepMatch::file)
                .thenComparingInt(GrepMatch::line)).toList();
        assertEquals(sorted, all.matches());
        assertTrue(all.matches().stream().allMatch(m -> m.text().startsWith("needle ") && m.line() >= 1));
        assertEquals(Files.readAllLines(all.matches().get(0).file()).size(), all.matches().get(0).line());
        assertEquals(145, all.filesSearched(),
                "144 sources and the oversized file (counted, not read); links and the fifo are not files");
        var rsOnlyNoD1 = engine.search(GrepQuery.of("needle \\d+/1\\b", true, true, root, List.of("*.rs"),
                List.of("d1"), 0, 1000));
        assertEquals(11, rsOnlyNoD1.matches().size());
        var limited = engine.search(GrepQuery.of("needle", false, true, root, List.of(), List.of(), 0, 5));
        assertTrue(limited.truncated());
        assertEquals(5, limited.matches().size());
        assertEquals(List.of(), engine.search(GrepQuery.of("absent_literal", false, true, root, List.of(), List.of(),
                0, 10)).matches());
    }

    @Test
    void literalPrefilterFindsEveryOccurrenceKind() throws Exception {
        // start, end, overlapping prefixes, a repeated last byte, UTF-8, a one-byte literal, a literal longer than a file
        Files.writeString(root.resolve("start.txt"), "abcab rest\n");
        Files.writeString(root.resolve("end.txt"), "xx\nyy abcab");
        Files.writeString(root.resolve("overlap.txt"), "ababcabcababcab\n");
        Files.writeString(root.resolve("near.txt"), "abcaa abca bcab\n");
        Files.writeString(root.resolve("utf.txt"), "grüße, straße\n");
        Files.writeString(root.resolve("short.txt"), "ab");
        assertEquals(List.of("end.txt:2:yy abcab[][]", "overlap.txt:1:ababcabcababcab[][]",
                "start.txt:1:abcab rest[][]"), run("abcab", false, true, 0));
        assertEquals(List.of("utf.txt:1:grüße, straße[][]"), run("ße, s", false, true, 0));
        assertEquals(4, run("c", false, true, 0).size());
        assertTrue(run("abcabcabcabcabcabc", false, true, 0).isEmpty());
    }
}
