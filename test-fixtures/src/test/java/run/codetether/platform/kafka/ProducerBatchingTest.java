package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * The platform's producers against the real in-process broker, sent to as a task's path does: many senders side by
 * side, each awaiting its record's ack before the next (issue 18: produce requests per task). Records that arrive
 * while a request is in flight go out together in the next one, so under load a request carries many records, while a
 * lone record still waits for no linger.
 */
class ProducerBatchingTest {
    private static final int SENDS_EACH = 40;

    @Test
    void concurrentAwaitedSendsShareRequests() throws Exception {
        assertFewerRequestsThanFiveInFlight(64);
    }

    @Test
    void aFewSendersSideBySideShareRequestsToo() throws Exception {
        assertFewerRequestsThanFiveInFlight(8);
    }

    /**
     * The platform's producer against one with Kafka's five requests in flight, same load: the five-in-flight one sent
     * 251-274 requests for 64 x 40 records and 181 for 8 x 40, the platform's 64-78 (a loaded 2-core machine).
     */
    private static void assertFewerRequestsThanFiveInFlight(int senders) throws Exception {
        long platform = awaitedSends(Map.of(), senders);
        long fiveInFlight = awaitedSends(Map.of(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"), senders);
        assertTrue(platform * 10 <= fiveInFlight * 6, senders + " senders x " + SENDS_EACH + " awaited records: "
                + platform + " produce requests with the platform's settings, " + fiveInFlight + " with five in flight");
    }

    /**
     * Runs {@code senders} threads that each send {@link #SENDS_EACH} records, awaiting each ack; the producer's
     * requests meanwhile (after a first record that fetched the topic's metadata).
     */
    static long awaitedSends(Map<String, ?> overrides, int senders) throws Exception {
        String topic = "batching-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 4, false)));
        KafkaClients clients = KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers());
        try (KafkaProducer<String, String> producer = clients.producer("batching-" + UUID.randomUUID(), overrides,
                new StringSerializer(), new StringSerializer());
                var pool = Executors.newFixedThreadPool(senders)) {
            producer.send(new ProducerRecord<>(topic, "warm-up", "x")).get(30, TimeUnit.SECONDS); // metadata
            double requestsBefore = metric(producer, "request-total");
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String key = "task-" + s;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < SENDS_EACH; i++) {
                        producer.send(new ProducerRecord<>(topic, key, "event " + i)).get(60, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            return (long) (metric(producer, "request-total") - requestsBefore);
        }
    }

    private static double metric(KafkaProducer<?, ?> producer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
            if (e.getKey().group().equals("producer-metrics") && e.getKey().name().equals(name)) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("the producer has no metric " + name);
    }
}
