package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * Session loads side by side ask for partition ends in shared rounds (issue 19: the admin client keeps one request in
 * flight per broker, so one request per load queued one tenant's load behind every load of another tenant's flood).
 * Against a real broker: 64 loads at once get the right ends from a handful of requests, not 64, and an end asked
 * after a write was acknowledged includes that write.
 */
class EndOffsetsTest {
    private static final int LOADS = 64;

    /** Counts listOffsets requests; the first waits until every load has asked, so the others must share rounds. */
    private static final class CountingAdmin extends ForwardingAdmin {
        final AtomicInteger requests = new AtomicInteger();
        final CountDownLatch allAsked;

        CountingAdmin(CountDownLatch allAsked) {
            super(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()));
            this.allAsked = allAsked;
        }

        @Override
        public ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> offsets, ListOffsetsOptions options) {
            if (requests.getAndIncrement() == 0) {
                try {
                    allAsked.await(30, TimeUnit.SECONDS);
                    Thread.sleep(200); // the last ones that counted down reach the round
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.listOffsets(offsets, options);
        }
    }

    @Test
    void loadsSideBySideShareRequestsAndSeeEveryAcknowledgedWrite() throws Exception {
        String topic = "end-offsets-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 4, false)));
        long[] written = new long[4];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", SharedKafkaBroker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int p = 0; p < 4; p++) {
                for (int i = 0; i <= p; i++) {
                    written[p] = producer.send(new ProducerRecord<>(topic, p, "k", new byte[] {1})).get().offset();
                }
            }
        }
        CountDownLatch allAsked = new CountDownLatch(LOADS);
        try (CountingAdmin admin = new CountingAdmin(allAsked);
                ExecutorService loads = Executors.newVirtualThreadPerTaskExecutor()) {
            EndOffsets ends = new EndOffsets(admin, Duration.ofSeconds(30));
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < LOADS; i++) {
                TopicPartition tp = new TopicPartition(topic, i % 4);
                answers.add(loads.submit(() -> {
                    allAsked.countDown();
                    return ends.of(tp, Duration.ofSeconds(60));
                }));
            }
            for (int i = 0; i < LOADS; i++) {
                assertEquals(written[i % 4] + 1, answers.get(i).get(90, TimeUnit.SECONDS),
                        "the end of partition " + i % 4 + " includes its acknowledged writes");
            }
            int requests = admin.requests.get();
            System.out.printf("END OFFSETS: %d loads side by side, %d requests%n", LOADS, requests);
            assertTrue(requests <= 8, LOADS + " loads shared their requests: " + requests + " requests");
            // asked after a further acknowledged write: it is included
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", SharedKafkaBroker.bootstrapServers()), new StringSerializer(),
                    new ByteArraySerializer())) {
                long more = producer.send(new ProducerRecord<>(topic, 2, "k", new byte[] {2})).get().offset();
                assertEquals(more + 1, ends.of(new TopicPartition(topic, 2), Duration.ofSeconds(60)));
            }
        }
    }
}
