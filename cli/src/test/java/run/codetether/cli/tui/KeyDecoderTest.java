package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDecoderTest {
    private static List<String> keys(String input, boolean idleAfter) {
        KeyDecoder d = new KeyDecoder();
        List<String> out = new ArrayList<>();
        for (char c : input.toCharArray()) {
            d.feed(c).forEach(k -> out.add(k.name()));
        }
        if (idleAfter) {
            d.flush().forEach(k -> out.add(k.name()));
        }
        return out;
    }

    @Test
    void controlAndPrintable() {
        assertEquals(List.of("h", "i", "Enter", "Tab", "Backspace", "C-c", "C-b", "C-s", "?"), keys("hi\r\t\u007f\u0003\u0002\u0013?", false));
    }

    @Test
    void altIsAnEscapePrefixAndALoneEscapeWaitsForIdle() {
        assertEquals(List.of("M-j", "M-k"), keys("\u001bj\u001bk", false));
        assertEquals(List.of(), keys("\u001b", false));
        assertEquals(List.of("Esc"), keys("\u001b", true));
    }

    @Test
    void csiAndSs3Sequences() {
        assertEquals(List.of("Up", "Down", "Right", "Left", "F2", "F2", "PageUp", "Delete", "C-Up", "S-Tab", "F3"),
                keys("\u001b[A\u001b[B\u001bOC\u001b[D\u001bOQ\u001b[12~\u001b[5~\u001b[3~\u001b[1;5A\u001b[Z\u001bOR", false));
    }

    @Test
    void ctrlMIsToldApartFromEnterByKittyAndModifyOtherKeys() {
        assertEquals(List.of("C-m", "C-m", "Enter"), keys("\u001b[109;5u\u001b[27;5;109~\r", false));
        assertEquals(List.of("Esc", "M-j"), keys("\u001b[27u\u001b[106;3u", false));
    }

    @Test
    void surrogatePairsStayOneKey() {
        assertEquals(List.of("😀"), keys("😀", false));
    }
}
