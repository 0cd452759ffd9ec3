package run.codetether.gateway.api.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.contracts.cognition.CognitionCommand;
import run.codetether.contracts.cognition.CreatePersonaRequest;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;

/** Two gateway replicas (two feeds on one broker): both stream the same thoughts with the same ids. */
@ExtendWith(KafkaBrokerExtension.class)
class CognitionFeedReplicaTest {

    static CognitionGatewayConfig config() {
        return new CognitionGatewayConfig() {
            public Duration replyTimeout() {
                return Duration.ofSeconds(10);
            }

            public int maxEvents() {
                return 2000;
            }

            public int maxSnapshots() {
                return 128;
            }

            public int subscriberBuffer() {
                return 256;
            }

            public Duration keepAlive() {
                return Duration.ofSeconds(15);
            }

            public long loopIntervalMs() {
                return 2000;
            }

            public boolean enabled() {
                return true;
            }
        };
    }

    private static Subscription.Item.Event nextEvent(Subscription s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (s.next(Duration.ofMillis(200)) instanceof Subscription.Item.Event e) {
                return e;
            }
        }
        throw new AssertionError("no event in 20 s");
    }

    /** Skips the events before the one with this id (the topic may hold an earlier test's). */
    private static Subscription.Item.Event untilEvent(Subscription s, String id) throws InterruptedException {
        while (true) {
            Subscription.Item.Event e = nextEvent(s);
            if (e.event().event().id().equals(id)) {
                return e;
            }
            // an older event: a replica subscribed before its reader had passed it
        }
    }

    /** Views are decoded only when asked for: the newest one answers, and an unreadable newer one is skipped. */
    @Test
    void theNewestViewAnswersAndAnUnreadableOneLeavesThePreviousOne(EmbeddedKafkaBroker broker) throws Exception {
        CognitionFeed feed = new CognitionFeed(broker.bootstrapServers(), config());
        feed.onStart(null);
        try (FakeSwarmService swarm = new FakeSwarmService(broker.bootstrapServers())) {
            Subscription s = feed.subscribe(null);
            swarm.publish(FakeSwarmService.view(false));
            swarm.publish(FakeSwarmService.view(true));
            String first = "t-" + UUID.randomUUID();
            swarm.thought(first);
            untilEvent(s, first); // folded up to the thought after the views
            assertTrue(feed.view().orElseThrow().status().running(), "the newer of the two views");

            swarm.publish(FakeSwarmService.view(false));
            String second = "t-" + UUID.randomUUID();
            swarm.thought(second);
            untilEvent(s, second);
            assertFalse(feed.view().orElseThrow().status().running(), "a view after the first read is read too");

            swarm.publishRaw("{\"type\":\"view\",\"status\":42}");
            String third = "t-" + UUID.randomUUID();
            swarm.thought(third);
            untilEvent(s, third);
            assertFalse(feed.view().orElseThrow().status().running(), "the unreadable view is skipped");
        } finally {
            feed.onStop(null);
        }
    }

    @Test
    void everyReplicaStreamsTheSameThoughtsAndAnyCanResume(EmbeddedKafkaBroker broker) throws Exception {
        CognitionFeed a = new CognitionFeed(broker.bootstrapServers(), config());
        CognitionFeed b = new CognitionFeed(broker.bootstrapServers(), config());
        a.onStart(null);
        b.onStart(null);
        try (FakeSwarmService swarm = new FakeSwarmService(broker.bootstrapServers())) {
            Subscription onA = a.subscribe(null);
            Subscription onB = b.subscribe(null);
            String id = "t-" + UUID.randomUUID();
            long offset = swarm.thought(id);

            var fromA = untilEvent(onA, id);
            var fromB = untilEvent(onB, id);
            assertEquals(id, fromA.event().event().id());
            assertEquals(fromA.event(), fromB.event(), "same event, same SSE id on both replicas");
            assertEquals(offset, fromA.event().offset());

            Subscription resumed = b.subscribe(offset - 1);
            assertEquals(id, nextEvent(resumed).event().event().id(), "resume on the other replica");

            var reply = a.send(new CognitionCommand.CreatePersona(UUID.randomUUID().toString(),
                    new CreatePersonaRequest("r1", "R", "role", "charter", null, null, null), null)).get(20, TimeUnit.SECONDS);
            assertEquals(200, reply.httpStatus());
            assertEquals("r1", reply.persona().identity().id());
            assertInstanceOf(Subscription.Item.KeepAlive.class, onB.next(Duration.ofMillis(50)),
                    "replies are not thoughts: nothing else reaches the stream");
        } finally {
            a.onStop(null);
            b.onStop(null);
        }
    }
}
