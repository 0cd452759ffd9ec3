package run.codetether.cli.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionIndexTest {
    @Test
    void sessionsArePerDirectoryNewestFirstAndFoundByPrefix(@TempDir Path dir) throws Exception {
        SessionIndex index = new SessionIndex(dir.resolve("data/codetether/sessions.json"));
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        index.touch("ctx-aaa-1", "Fix the   parser\nplease", "/src/app", "http://g/", "local/m", "t1", t);
        index.touch("ctx-aaa-2", "Add tests", "/src/app", "http://g/", null, "t2", t.plusSeconds(60));
        index.touch("ctx-bbb", "Other", "/src/lib", "http://g/", null, "t3", t.plusSeconds(30));
        SessionIndex.Entry again = index.touch("ctx-aaa-1", "ignored", "/src/app", "http://g/", null, "t4", t.plusSeconds(120));

        assertEquals(2, again.turns());
        assertEquals("Fix the parser please", again.title(), "the first prompt, whitespace folded, is the title");
        assertEquals("t4", again.lastTaskId());
        assertEquals(List.of("ctx-aaa-1", "ctx-aaa-2"), index.list("/src/app").stream().map(SessionIndex.Entry::contextId).toList());
        assertEquals(3, index.list(null).size());
        assertEquals("ctx-bbb", index.find("ctx-b").orElseThrow().contextId());
        assertThrows(IllegalArgumentException.class, () -> index.find("ctx-aaa"), "an ambiguous prefix is refused");
        assertTrue(index.delete("ctx-bbb"));
        assertFalse(index.delete("ctx-bbb"));
        assertTrue(index.find("ctx-bbb").isEmpty());
    }

    @Test
    void timeOrderedIdsAreFoundByTheEndTheTuiShows(@TempDir Path dir) throws Exception {
        SessionIndex index = new SessionIndex(dir.resolve("sessions.json"));
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        // two version-7 ids of the same minute: the same first 8 characters, random ends
        index.touch("019aef12-3456-7000-8a1b-2c3d4e5f6a7b", "one", "/src", "http://g/", null, "t1", t);
        index.touch("019aef12-3456-7001-9b2c-3d4e5f6a7b8c", "two", "/src", "http://g/", null, "t2", t);

        assertEquals("019aef12-3456-7001-9b2c-3d4e5f6a7b8c", index.find("f6a7b8c").orElseThrow().contextId());
        assertEquals("019aef12-3456-7000-8a1b-2c3d4e5f6a7b", index.find("4e5f6a7b").orElseThrow().contextId());
        assertThrows(IllegalArgumentException.class, () -> index.find("019aef12"), "the shared start is ambiguous");
    }
}
