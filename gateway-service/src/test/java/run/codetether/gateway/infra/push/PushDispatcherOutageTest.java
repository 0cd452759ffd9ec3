package run.codetether.gateway.infra.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.gateway.domain.InMemoryPushConfigStore;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.PushReceiver;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The idle push reader across a broker outage (issue 19): while no task has a config it looks up its partitions'
 * end offsets every skip (2 s here) with a 5 s timeout; once it has joined and skipped (its group's committed
 * position, not a fixed wait), the broker of its own is stopped for
 * longer than that, so lookups time out (each one killed the reader before, and the gateway exited 4 a minute
 * later), then started again on the same port and data. The reader waits the outage out and delivers the first
 * config's event written after it.
 */
class PushDispatcherOutageTest {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The group's committed offsets by partition (empty while it has none, or the broker does not answer). */
    static Map<Integer, Long> committed(Admin admin, String group) {
        try {
            Map<Integer, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS)
                    .forEach((tp, at) -> {
                        if (at != null) {
                            out.put(tp.partition(), at.offset());
                        }
                    });
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    @Test
    void theIdleReaderWaitsOutABrokerOutageAndDeliversAfterIt() throws Exception {
        Path data = Files.createTempDirectory("codetether-push-outage-");
        int port = freePort();
        int controllerPort = freePort();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistent(data, port, controllerPort).start()
                .createPlatformTopics(4);
        InMemoryPushConfigStore store = new InMemoryPushConfigStore();
        PushDispatcher push = new PushDispatcher(store, (event, version) -> "{\"state\":\""
                + event.getClass().getSimpleName() + "\"}", new UrlPolicy(true), 3, Duration.ofMillis(50),
                Duration.ofSeconds(5));
        push.idlePace(Duration.ofSeconds(2), Duration.ofSeconds(2)); // the outage is met by a skip's lookup
        LoopHealth health = new LoopHealth(Duration.ofMinutes(2));
        String loop = "push-outage-" + UUID.randomUUID();
        String group = "push-outage-test-" + UUID.randomUUID();
        try (PushReceiver receiver = new PushReceiver(0)) {
            try (StatusEvents events = new StatusEvents(broker.bootstrapServers())) {
                events.publish("nobody", TaskState.WORKING, null);
            }
            push.start(KafkaClients.forBootstrap(broker.bootstrapServers()), health, loop.substring(5), true, group);
            // joined its group and skipped while idle (its lookup every 2 s is what meets the outage): the group's
            // position is at the end of every partition, past the one event written before it started
            try (Admin admin = KafkaClients.forBootstrap(broker.bootstrapServers()).admin("push-outage-probe")) {
                Await.until(() -> committed(admin, group), c -> c.size() == 4
                        && c.values().stream().mapToLong(Long::longValue).sum() == 1, Duration.ofSeconds(60),
                        "the idle reader's first skip to the end");
            }

            broker.close();
            Await.until(() -> health.describe().getOrDefault(loop, ""), d -> d.contains("Kafka unreachable"),
                    Duration.ofSeconds(60), "a timed-out lookup of the idle reader");
            Thread.sleep(8_000); // more lookups time out, each longer than 5 s
            assertTrue(health.ready(), "the reader died in the outage: " + health.describe());

            broker = EmbeddedKafkaBroker.persistent(data, port, controllerPort).start();
            String task = "after-outage-" + UUID.randomUUID();
            store.put(new PushConfig(task, "c1", receiver.url(), null, null, null), "1.0").get();
            try (StatusEvents events = new StatusEvents(broker.bootstrapServers())) {
                events.publish(task, TaskState.COMPLETED, null);
            }
            Await.until(receiver::calls, n -> n >= 1, Duration.ofSeconds(90), "the delivery after the outage");
            assertEquals(1, receiver.calls());
            assertTrue(health.ready(), health.describe().toString());
        } finally {
            push.close();
            broker.close();
            try (var walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
