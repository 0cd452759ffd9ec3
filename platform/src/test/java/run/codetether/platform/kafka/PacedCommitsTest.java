package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PacedCommitsTest {
    static final TopicPartition P0 = new TopicPartition("tasks.events", 0);
    static final TopicPartition P1 = new TopicPartition("tasks.events", 1);

    @Test
    void commitsAtMostOncePerIntervalWithTheNewestPositionOfEachPartition() {
        PacedCommits paced = new PacedCommits(Duration.ofSeconds(1));
        long t = System.nanoTime();
        paced.add(Map.of(P0, new OffsetAndMetadata(5)));
        assertEquals(Map.of(P0, new OffsetAndMetadata(5)), paced.takeIfDue(t), "the first commit goes at once");
        paced.add(Map.of(P0, new OffsetAndMetadata(7), P1, new OffsetAndMetadata(2)));
        paced.add(Map.of(P0, new OffsetAndMetadata(9)));
        assertTrue(paced.takeIfDue(t + Duration.ofMillis(999).toNanos()).isEmpty(), "within the interval: none");
        assertEquals(Map.of(P0, new OffsetAndMetadata(9), P1, new OffsetAndMetadata(2)),
                paced.takeIfDue(t + Duration.ofSeconds(1).toNanos()), "then the newest of each, once");
        assertTrue(paced.takeIfDue(t + Duration.ofSeconds(5).toNanos()).isEmpty(), "nothing new: no commit");
    }

    @Test
    void revocationAndStopTakeEverythingAtOnceAndALeftPartitionIsForgotten() {
        PacedCommits paced = new PacedCommits(Duration.ofHours(1));
        long t = System.nanoTime();
        paced.add(Map.of(P0, new OffsetAndMetadata(1)));
        paced.takeIfDue(t);
        paced.add(Map.of(P0, new OffsetAndMetadata(3), P1, new OffsetAndMetadata(4)));
        assertTrue(paced.takeIfDue(t + 1).isEmpty());
        paced.forget(List.of(P1));
        assertEquals(Map.of(P0, new OffsetAndMetadata(3)), paced.takeAll(), "no position is lost on stop");
        assertTrue(paced.takeAll().isEmpty());
    }

    @Test
    void zeroCommitsEveryBatchAndANegativeIntervalIsRefused() {
        PacedCommits paced = new PacedCommits(Duration.ZERO);
        for (int i = 1; i <= 3; i++) {
            paced.add(Map.of(P0, new OffsetAndMetadata(i)));
            assertEquals(Map.of(P0, new OffsetAndMetadata(i)), paced.takeIfDue());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new PacedCommits(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("codetether.kafka.commit-interval"), e.getMessage());
    }
}
