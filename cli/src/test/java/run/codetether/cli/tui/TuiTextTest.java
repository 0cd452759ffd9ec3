package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class TuiTextTest {
    @Test
    void twoTasksOfTheSameMinuteGetDifferentShortIds() {
        // the gateway's time-ordered ids (UUID version 7) share their first characters for about a minute
        String first = "019aef12-3456-7000-8a1b-2c3d4e5f6a7b";
        String second = "019aef12-3456-7001-9b2c-3d4e5f6a7b8c";

        assertEquals("4e5f6a7b", TuiText.shortId(first));
        assertNotEquals(TuiText.shortId(first), TuiText.shortId(second));
        assertEquals("t1", TuiText.shortId("t1"), "a short id is shown whole");
    }
}
