package run.codetether.gateway.infra.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.InMemoryPushConfigStore;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.support.Await;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The push reader stopped and replaced by the partition's next reader (a restart, a rebalance) on a real broker:
 * a notification still unsettled is delivered again with the delivery id of its first attempts, and one that was
 * delivered beyond the committed position (a later event of another task, while an earlier one kept failing) is not
 * delivered again.
 */
class PushDispatcherRedeliveryTest {
    record Hit(String path, String deliveryId, String body) {}

    static StatusEvents events;

    @BeforeAll
    static void broker() {
        events = new StatusEvents();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    /** On partition 0 explicitly: both tasks' events share it, so the failing one holds the other's commit back. */
    static void publish(String taskId, TaskState state) throws Exception {
        events.publish(taskId, state, 0);
    }

    @Test
    void theNextReaderRedeliversWhatWasUnsettledWithItsIdAndSkipsWhatWasDeliveredBeyondThePosition()
            throws Exception {
        List<Hit> hits = new CopyOnWriteArrayList<>();
        AtomicBoolean failing = new AtomicBoolean(true);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            hits.add(new Hit(path, ex.getRequestHeaders().getFirst(PushDispatcher.DELIVERY_ID_HEADER), body));
            ex.sendResponseHeaders(path.equals("/failing") && failing.get() ? 503 : 204, -1);
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String group = "push-redelivery-test-" + UUID.randomUUID();
        String held = "held-" + UUID.randomUUID();
        String through = "through-" + UUID.randomUUID();
        InMemoryPushConfigStore store = new InMemoryPushConfigStore();
        store.put(new PushConfig(held, "c1", base + "/failing", null, null, null), "1.0").get();
        store.put(new PushConfig(through, "c1", base + "/ok", null, null, null), "1.0").get();
        PushDispatcher first = dispatcher(store);
        try {
            first.start(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), new LoopHealth(), "first",
                    true, group);
            publish(held, TaskState.COMPLETED); // answered 503 again and again: holds the position
            publish(through, TaskState.WORKING);
            publish(through, TaskState.COMPLETED);
            Await.until(() -> hits.stream().filter(h -> h.path().equals("/ok")).count(), n -> n == 2,
                    Duration.ofSeconds(60), "both of the other task's notifications");
            Await.until(() -> hits.stream().filter(h -> h.path().equals("/failing")).count(), n -> n >= 2,
                    Duration.ofSeconds(30), "the failing webhook retried");
            Thread.sleep(1_000); // a few polls: each commits the position with what settled beyond it
        } finally {
            first.close();
        }
        List<Hit> before = List.copyOf(hits);
        List<String> heldIds = before.stream().filter(h -> h.path().equals("/failing")).map(Hit::deliveryId)
                .distinct().toList();
        assertEquals(1, heldIds.size(), "every attempt of one notification carries one id: " + heldIds);
        List<String> throughIds = before.stream().filter(h -> h.path().equals("/ok")).map(Hit::deliveryId).toList();
        assertEquals(2, throughIds.stream().distinct().count(), "two notifications, two ids: " + throughIds);
        assertTrue(heldIds.getFirst().matches("0-\\d+-0/" + held + "/c1"), heldIds.getFirst());

        failing.set(false);
        hits.clear();
        PushDispatcher second = dispatcher(store);
        try {
            second.start(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), new LoopHealth(),
                    "second", true, group);
            Hit again = Await.until(() -> hits.stream().filter(h -> h.path().equals("/failing")).findFirst()
                    .orElse(null), h -> h != null, Duration.ofSeconds(60), "the unsettled notification again");
            assertEquals(heldIds.getFirst(), again.deliveryId(), "delivered again under its first id");
            publish(through, TaskState.COMPLETED); // a later event: once it arrives, the reader is past the others
            Await.until(() -> hits.stream().filter(h -> h.path().equals("/ok")).count(), n -> n >= 1,
                    Duration.ofSeconds(60), "the later event");
            Thread.sleep(500);
            List<Hit> ok = hits.stream().filter(h -> h.path().equals("/ok")).toList();
            assertEquals(1, ok.size(), "what the first reader delivered beyond its position was skipped: " + ok);
            assertTrue(!throughIds.contains(ok.getFirst().deliveryId()), "the new event has an id of its own");
        } finally {
            second.close();
            server.stop(0);
        }
    }

    private static PushDispatcher dispatcher(InMemoryPushConfigStore store) {
        return new PushDispatcher(store, (event, version) -> "{\"event\":\"" + event.getClass().getSimpleName()
                + "\"}", new UrlPolicy(true), 1_000, Duration.ofMillis(100), Duration.ofSeconds(5));
    }
}
