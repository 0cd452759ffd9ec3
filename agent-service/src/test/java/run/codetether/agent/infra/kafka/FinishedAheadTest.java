package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The commit metadata that tells a partition's next owner which commands past the commit already finished. */
class FinishedAheadTest {

    private static TreeSet<Long> open(long... offsets) {
        TreeSet<Long> s = new TreeSet<>();
        for (long o : offsets) {
            s.add(o);
        }
        return s;
    }

    @Test
    void everyOffsetBetweenTheCommitAndTheHeadIsFinishedButTheOpenOnes() {
        String meta = FinishedAhead.encode(open(100, 103, 140), 200);
        FinishedAhead a = FinishedAhead.parse(100, meta);
        assertFalse(a.finished(100), "the committed offset itself is open");
        assertTrue(a.finished(101) && a.finished(102) && a.finished(104) && a.finished(199));
        assertFalse(a.finished(103) || a.finished(140), "the listed ones are open");
        assertFalse(a.finished(200) || a.finished(99), "nothing past the head or before the commit");
    }

    @Test
    void nothingFinishedPastTheCommitSaysNothing() {
        assertEquals("", FinishedAhead.encode(open(100), 101));
        assertEquals("", FinishedAhead.encode(open(100, 101, 102), 103), "every one past the commit still open");
        assertNull(FinishedAhead.parse(100, ""));
        assertNull(FinishedAhead.parse(100, null));
        assertNull(FinishedAhead.parse(100, "another tool's metadata"));
        assertNull(FinishedAhead.parse(100, "f1:zz:!!"), "unreadable: as if nothing were said");
    }

    @Test
    void manyOpenOffsetsStopTheFinishedRangeAtTheFirstUnlistedOneAndStayUnderTheBrokersLimit() {
        TreeSet<Long> open = new TreeSet<>();
        LongStream.range(0, 5_000).forEach(i -> open.add(1_000_000_000L + i * 1_000));
        String meta = FinishedAhead.encode(open, 1_000_000_000L + 6_000_000);
        assertTrue(meta.length() < 4_096, "offset.metadata.max.bytes: " + meta.length());
        FinishedAhead a = FinishedAhead.parse(1_000_000_000L, meta);
        long lastListed = 1_000_000_000L + FinishedAhead.MAX_OPEN * 1_000L;
        long firstUnlisted = lastListed + 1_000;
        assertTrue(a.finished(lastListed - 1) && a.finished(lastListed + 1) && a.finished(firstUnlisted - 1));
        assertFalse(a.finished(lastListed), "listed as open");
        assertFalse(a.finished(firstUnlisted), "the first unlisted open offset is where the range stops");
        assertFalse(a.finished(firstUnlisted + 1), "past it nothing counts as finished");
    }
}
