package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * Issue 18: SSE is delivered through a bounded queue per subscriber, drained off the task event reader. The reader
 * (here the test's thread) only queues: a subscriber whose encoding blocks delays neither the reader nor another
 * subscriber, and one that falls {@link SubscriberQueue#MAX_ITEMS} behind is ended as a slow consumer. Real Vert.x
 * HTTP server and JDK client on loopback.
 */
class SseSinkQueueTest {
    private Vertx vertx;
    private HttpServer server;
    private final Map<String, CompletableFuture<SseSink>> sinks = new ConcurrentHashMap<>();
    private final CountDownLatch slowEncoder = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            String name = req.path().substring(1);
            HttpServerResponse response = req.response();
            Function<StreamEvent, JsonNode> encoder = name.startsWith("slow") ? item -> {
                try {
                    slowEncoder.await(); // an encoding that takes long (a huge item, a starved core)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return encode(item);
            } : SseSinkQueueTest::encode;
            sinks.get(name).complete(new SseSink(response, vertx, encoder,
                    e -> JsonNodeFactory.instance.objectNode().put("error", e.getMessage()), 60_000, 1 << 20));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        slowEncoder.countDown();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonNode encode(StreamEvent item) {
        StreamEvent.StatusUpdate s = (StreamEvent.StatusUpdate) item;
        return JsonNodeFactory.instance.objectNode().put("n", s.metadata().get("n").toString());
    }

    private static StreamEvent item(int n) {
        return new StreamEvent.StatusUpdate("t1", "c1", new TaskStatus(TaskState.WORKING, null, Instant.now()),
                Map.of("n", n), false);
    }

    /** Opens a client stream to {@code name}; completes with its whole body once the server ends it. */
    private CompletableFuture<String> open(String name) throws Exception {
        sinks.put(name, new CompletableFuture<>());
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/" + name))
                .build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body);
    }

    @Test
    void aSubscriberWhoseEncodingBlocksDelaysNeitherTheReaderNorAnotherSubscriber() throws Exception {
        CompletableFuture<String> slowBody = open("slow");
        CompletableFuture<String> fastBody = open("fast");
        SseSink slow = sinks.get("slow").get(10, TimeUnit.SECONDS);
        SseSink fast = sinks.get("fast").get(10, TimeUnit.SECONDS);
        int items = 200;
        // the reader's fold, on a thread of its own (a reader stuck in the slow encoding must fail the test, not
        // hang it): both subscribers get every item
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < items; i++) {
                slow.send(item(i));
                fast.send(item(i));
            }
            slow.end();
            fast.end();
        });
        reader.get(5, TimeUnit.SECONDS); // the reader only queues, it never waits for an encoding
        String fastEvents = fastBody.get(10, TimeUnit.SECONDS);
        assertEquals(items, count(fastEvents), "the fast subscriber got every item while the other one is stuck");
        assertTrue(fastEvents.indexOf("\"n\":\"0\"") < fastEvents.indexOf("\"n\":\"199\""), "in order");
        assertTrue(!slowBody.isDone(), "the slow one is still waiting for its first encoding");
        slowEncoder.countDown();
        String slowEvents = slowBody.get(10, TimeUnit.SECONDS);
        assertEquals(items, count(slowEvents), "the slow subscriber still gets everything, in order, after it");
    }

    @Test
    void aSubscriberTooFarBehindIsEndedAsASlowConsumerWithoutHoldingTheReader() throws Exception {
        CompletableFuture<String> slowBody = open("slow-bounded");
        SseSink slow = sinks.get("slow-bounded").get(10, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> {
            for (int i = 0; i < SubscriberQueue.MAX_ITEMS + 5; i++) {
                slow.send(item(i));
            }
        }).get(5, TimeUnit.SECONDS);
        String body = slowBody.get(10, TimeUnit.SECONDS);
        assertTrue(body.contains("fell behind") && body.contains(SubscriberQueue.MAX_ITEMS + " items"),
                "the last event says why the stream ended: " + body);
        assertEquals(0, count(body), "nothing queued behind the blocked encoding was written after the error");
    }

    private static int count(String body) {
        return (int) List.of(body.split("\n\n")).stream().filter(e -> e.startsWith("data: {\"n\"")).count();
    }
}
