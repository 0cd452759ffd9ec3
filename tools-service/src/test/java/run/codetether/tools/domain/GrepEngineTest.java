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
}
