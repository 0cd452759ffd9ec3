package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.nativ.CLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frame cache's file as the launcher reads it, and the launcher's saved terminal attributes as the TUI reads them. */
class FrameCacheTest {
    @TempDir
    Path dir;

    @Test
    void theFileIsKeyConfigPathConfigAndFrameBetweenNuls() throws Exception {
        Path config = dir.resolve("config.toml");
        Files.writeString(config, "[ui]\ntheme = \"dark\"\n");
        byte[] frame = "\u001b[?1049h\u001b[1;1H ◆ CodeTether".getBytes(StandardCharsets.UTF_8);
        byte[] file = FrameCache.file(FrameCache.build("frame-1 80 24 ", config, frame));
        String text = new String(file, StandardCharsets.UTF_8);
        assertEquals("frame-1 80 24 \0" + config.toAbsolutePath() + "\0=[ui]\ntheme = \"dark\"\n\0"
                + new String(frame, StandardCharsets.UTF_8), text);
        assertArrayEquals(frame, FrameCache.frameOf(file));
    }

    @Test
    void aMissingConfigIsADashAndANulAnywhereMakesNoFile() throws Exception {
        byte[] frame = {'x'};
        byte[] file = FrameCache.file(FrameCache.build("k", dir.resolve("none.toml"), frame));
        assertEquals("k\0" + dir.resolve("none.toml").toAbsolutePath() + "\0-\0x", new String(file, StandardCharsets.UTF_8));
        Path config = dir.resolve("nul.toml");
        Files.write(config, new byte[] {'a', 0, 'b'});
        // bash's read -d '' would stop at it: such a config can never match, so nothing is kept
        assertNull(FrameCache.file(FrameCache.build("k", config, frame)));
        assertNull(FrameCache.frameOf("only\0two\0".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sttyDashGIsReadIntoTheAttributes() {
        CLibrary.Termios t = new CLibrary.Termios();
        t.c_cc = new byte[32];
        t.c_ispeed = 38400;
        CLibrary.Termios read = FrameCache.parseStty(
                "500:5:bf:8a3b:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0\n", t);
        assertEquals(0x500, read.c_iflag);
        assertEquals(0x5, read.c_oflag);
        assertEquals(0xbf, read.c_cflag);
        assertEquals(0x8a3b, read.c_lflag);
        assertEquals(3, read.c_cc[0]); // VINTR: Ctrl+C
        assertEquals(0x7f, read.c_cc[2]); // VERASE
        assertEquals(1, read.c_cc[6]); // VMIN
        assertEquals(38400, read.c_ispeed, "the line speed is the terminal's own");
        assertNull(FrameCache.parseStty("speed 38400 baud; line = 0;", new CLibrary.Termios()));
    }
}
