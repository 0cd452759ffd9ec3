package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;

/**
 * The loads' end-offset lookups: those waiting at once share one broker request (the admin client sends one call per
 * broker at a time, so 64 calls were 64 round trips in a row), and none is answered by a request sent before it.
 * The broker's side is a recording source whose requests the test answers, so the order of events is exact.
 */
class EndOffsetsTest {
    private record Request(Set<TopicPartition> partitions, CompletableFuture<Map<TopicPartition, Long>> answer) {}

    private final List<Request> requests = new ArrayList<>();
    private final EndOffsets ends = new EndOffsets(this::ask);

    private synchronized CompletionStage<Map<TopicPartition, Long>> ask(Set<TopicPartition> partitions) {
        Request r = new Request(partitions, new CompletableFuture<>());
        requests.add(r);
        return r.answer();
    }

    private synchronized Request request(int i) {
        return requests.get(i);
    }

    private synchronized int sent() {
        return requests.size();
    }

    private static TopicPartition p(int i) {
        return new TopicPartition("sessions", i);
    }

    private static Map<TopicPartition, Long> answer(Set<TopicPartition> asked, long base) {
        Map<TopicPartition, Long> out = new HashMap<>();
        asked.forEach(tp -> out.put(tp, base + tp.partition()));
        return out;
    }

    @Test
    void lookupsThatWaitTogetherShareOneRequestSentAfterTheyBegan() throws Exception {
        CompletableFuture<Long> first = ends.end(p(0));
        assertEquals(1, sent());
        assertEquals(Set.of(p(0)), request(0).partitions());

        List<CompletableFuture<Long>> starts = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            starts.add(ends.end(p(i % 3)));
        }
        assertEquals(1, sent(), "63 lookups behind one in flight: no request of their own");

        request(0).answer().complete(answer(request(0).partitions(), 100));
        assertEquals(100, first.get(5, TimeUnit.SECONDS));
        assertEquals(2, sent(), "the lookups collected meanwhile go out at once, together");
        assertEquals(Set.of(p(0), p(1), p(2)), request(1).partitions());
        // a save acknowledged before these loads began may be past the first answer: they wait for their own
        assertTrue(starts.stream().noneMatch(CompletableFuture::isDone));

        request(1).answer().complete(answer(request(1).partitions(), 200));
        for (int i = 0; i < starts.size(); i++) {
            assertEquals(200 + i % 3, starts.get(i).get(5, TimeUnit.SECONDS));
        }
        assertEquals(2, sent());

        assertFalse(ends.end(p(5)).isDone());
        assertEquals(3, sent(), "with nothing in flight a lookup is sent at once");
    }

    @Test
    void aFailedRequestFailsItsOwnLookupsOnlyAndTheNextBatchStillGoesOut() throws Exception {
        CompletableFuture<Long> first = ends.end(p(0));
        CompletableFuture<Long> second = ends.end(p(1));
        request(0).answer().completeExceptionally(new NotLeaderOrFollowerException("leader moved"));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertInstanceOf(NotLeaderOrFollowerException.class, failed.getCause(), "retriable: the store asks again");
        assertEquals(2, sent());
        request(1).answer().complete(answer(request(1).partitions(), 7));
        assertEquals(8, second.get(5, TimeUnit.SECONDS));
    }

    @Test
    void anAnswerWithoutThePartitionFailsThatLookupLoudly() {
        CompletableFuture<Long> end = ends.end(p(4));
        request(0).answer().complete(Map.of(p(3), 1L));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> end.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("sessions-4"), failed.getCause().getMessage());
    }

    @Test
    void aSourceThatThrowsFailsTheBatchAndLeavesNoRequestMarkedInFlight() throws Exception {
        EndOffsets throwing = new EndOffsets(partitions -> {
            throw new IllegalStateException("admin client closed");
        });
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> throwing.end(p(0)).get(5, TimeUnit.SECONDS));
        assertEquals("admin client closed", failed.getCause().getMessage());
        // not stuck behind the failed one: the next lookup is asked (and fails the same way) at once
        assertThrows(ExecutionException.class, () -> throwing.end(p(1)).get(5, TimeUnit.SECONDS));
    }
}
