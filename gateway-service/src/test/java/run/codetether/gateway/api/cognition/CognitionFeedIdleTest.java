package run.codetether.gateway.api.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;

/**
 * Issue 18: with no thought coming (cognition idles until started) the gateway's cognition feed woke 10-11 times a
 * second to find nothing. Against the real broker: idle, its reader polls about once per held fetch, and a thought
 * still reaches a subscriber at once (replies: {@link CognitionFeedReplicaTest}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class CognitionFeedIdleTest {
    /** The broker's hold of the feed's empty fetch, and so its poll: long enough that a wait for it shows. */
    private static final Duration HOLD = Duration.ofSeconds(8);

    @Test
    void anIdleFeedSleepsAndAThoughtStillArrivesAtOnce(EmbeddedKafkaBroker broker) throws Exception {
        CognitionFeed feed = new CognitionFeed(new KafkaClients(KafkaSettings.of(broker.bootstrapServers()), HOLD),
                CognitionFeedReplicaTest.config());
        feed.onStart(null);
        try (FakeSwarmService swarm = new FakeSwarmService(broker.bootstrapServers())) {
            // the shared broker may hold other classes' thoughts: the feed reads from the beginning, so wait until it
            // passed one of this test's own before counting its idle polls
            String marker = "t-" + UUID.randomUUID();
            swarm.thought(marker);
            Subscription warm = feed.subscribe(null);
            while (!nextEvent(warm, Duration.ofSeconds(20)).event().event().id().equals(marker)) {
                // an older thought
            }
            Subscription s = feed.subscribe(null);
            Thread.sleep(500); // into its next poll
            long before = feed.polls();
            Thread.sleep(3_000);
            long idle = feed.polls() - before;
            assertTrue(idle <= 1, "the idle feed polled " + idle + " times in 3 s (a 100 ms poll makes about 30)");

            String id = "t-" + UUID.randomUUID();
            long sent = System.nanoTime();
            swarm.thought(id);
            Subscription.Item.Event e = nextEvent(s, HOLD);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertEquals(id, e.event().event().id());
            assertTrue(ms < 3_000, "a thought ends the feed's poll at once; it came after " + ms + " ms");
        } finally {
            feed.onStop(null);
        }
    }

    private static Subscription.Item.Event nextEvent(Subscription s, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (s.next(Duration.ofMillis(200)) instanceof Subscription.Item.Event e) {
                return e;
            }
        }
        throw new AssertionError("no event within " + within);
    }
}
