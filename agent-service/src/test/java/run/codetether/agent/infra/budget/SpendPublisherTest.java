package run.codetether.agent.infra.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.platform.budget.CallSpend;
import run.codetether.platform.budget.KafkaSpendLedger;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;

/**
 * The ledger's publisher sends with no lock held that a recording call needs: while its send waits (as a producer
 * does for missing metadata, up to max.block.ms), calls are recorded and budgets answered; a flush asked meanwhile
 * waits for the publisher's next round, and a tenant-day's figures reach the topic in the order they grew.
 */
class SpendPublisherTest {
    /** Holds the producer's send of the armed tenant's first record until released (runs inside {@code send}). */
    public static final class StallingInterceptor implements ProducerInterceptor<Object, Object>,
            ConsumerInterceptor<Object, Object> {
        static volatile String armedTenant;
        static volatile CountDownLatch reached = new CountDownLatch(1);
        static volatile CountDownLatch release = new CountDownLatch(1);

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> r) {
            String tenant = armedTenant;
            if (tenant != null && r.key() instanceof String k && k.startsWith(tenant + "/")) {
                armedTenant = null;
                reached.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return r;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    @AfterEach
    void release() {
        StallingInterceptor.armedTenant = null;
        StallingInterceptor.release.countDown();
    }

    @Test
    void aStalledSendHoldsUpNoRecordingAndFiguresGoOutInOrder() throws Exception {
        String t = "t-" + UUID.randomUUID();
        String other = "o-" + UUID.randomUUID();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        StallingInterceptor.reached = new CountDownLatch(1);
        StallingInterceptor.release = new CountDownLatch(1);
        KafkaClients kafka = new KafkaClients(KafkaSettings.of(SharedKafkaBroker.bootstrapServers())
                .with("interceptor.classes", StallingInterceptor.class.getName()));
        try (KafkaSpendLedger ledger = new KafkaSpendLedger(kafka, "r-" + t, Duration.ofMillis(20),
                Clock.systemUTC(), null).start(Duration.ofSeconds(30))) {
            StallingInterceptor.armedTenant = t;
            ledger.add(t, today, CallSpend.ofCost(1.0));
            assertTrue(StallingInterceptor.reached.await(10, TimeUnit.SECONDS), "the publisher is sending 1.0");

            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                ledger.add(t, today, CallSpend.ofCost(2.0));
                ledger.add(other, today, CallSpend.ofCost(0.5));
                assertEquals(3.0, ledger.spent(t, today), 1e-9);
                assertEquals(Optional.empty(), ledger.unavailable());
            }, "recording and budget checks go on while the send waits for the broker");

            CountDownLatch flushed = new CountDownLatch(1);
            Thread flusher = Thread.ofPlatform().start(() -> {
                ledger.flush();
                flushed.countDown();
            });
            assertTrue(!flushed.await(300, TimeUnit.MILLISECONDS), "the flush waits for the publisher's round");
            StallingInterceptor.release.countDown();
            assertTrue(flushed.await(10, TimeUnit.SECONDS), "the flush returns once the round after it is sent");
            flusher.join(1000);

            List<Double> figures = figuresOf(kafka, t, 2);
            assertEquals(List.of(1.0, 3.0), figures, "the day's figures in the order they grew, the newest last");
            assertEquals(List.of(0.5), figuresOf(kafka, other, 1), "the other tenant's figure was published too");
        }
    }

    /** The cost figures of a tenant's records on the topic, in topic order, once {@code n} are there. */
    private static List<Double> figuresOf(KafkaClients kafka, String tenant, int n) {
        List<Double> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = SpendTopic.fromStart(kafka, "test-read-" + tenant)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.size() < n) {
                if (System.nanoTime() > deadline) {
                    fail("only " + out + " of tenant " + tenant + " on " + Topics.TENANTS_SPEND);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (r.value() != null && r.key().startsWith(tenant + "/")) {
                        out.add(ContractJson.read(r.value(), TenantSpend.class).costUsd());
                    }
                }
            }
        }
        return out;
    }
}
