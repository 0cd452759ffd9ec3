package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.workspace.PathPolicy;

class PathPolicyTest {

    @TempDir
    Path tmp;

    @Test
    void resolvesRelativeAndAbsoluteInsidePaths() {
        PathPolicy p = new PathPolicy(tmp.resolve("ws"));
        assertEquals(tmp.resolve("ws/a/b.txt"), p.resolve("a/b.txt"));
        assertEquals(tmp.resolve("ws/b.txt"), p.resolve("a/../b.txt"));
        assertEquals(tmp.resolve("ws/c"), p.resolve(tmp.resolve("ws/c").toString()));
        assertEquals("a/b.txt", p.display(p.resolve("a/b.txt")));
        assertEquals(".", p.display(p.resolve(".")));
    }

    @Test
    void refusesEscapes() throws Exception {
        PathPolicy p = new PathPolicy(tmp.resolve("ws"));
        Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(tmp.resolve("ws/out"), tmp.resolve("outside"));
        Files.createSymbolicLink(tmp.resolve("ws/dangling"), tmp.resolve("outside/none/x"));
        Files.createSymbolicLink(tmp.resolve("ws/loop1"), tmp.resolve("ws/loop2"));
        Files.createSymbolicLink(tmp.resolve("ws/loop2"), tmp.resolve("ws/loop1"));
        for (String bad : new String[] {"..", "../x", "a/../../x", "/etc/passwd", tmp.resolve("wsx/a").toString(),
                "out", "out/new.txt", "dangling", "loop1/x"}) {
            var e = assertThrows(ToolException.class, () -> p.resolve(bad), bad);
            assertEquals(Code.PATH_REFUSED, e.code(), bad + ": " + e.getMessage());
        }
        assertEquals(Code.INVALID_ARGUMENT, assertThrows(ToolException.class, () -> p.resolve("")).code());
        assertEquals(Code.INVALID_ARGUMENT, assertThrows(ToolException.class, () -> p.resolve("a\0b")).code());
    }

    @Test
    void symlinksInsideTheWorkspaceAreFine() throws Exception {
        PathPolicy p = new PathPolicy(tmp.resolve("ws"));
        Files.createDirectories(tmp.resolve("ws/real"));
        Files.createSymbolicLink(tmp.resolve("ws/alias"), tmp.resolve("ws/real"));
        assertEquals(tmp.resolve("ws/alias/f"), p.resolve("alias/f"));
    }
}
