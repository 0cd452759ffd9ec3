package run.codetether.gateway.infra.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.platform.kafka.KafkaClients;

/**
 * The dashboard's lag read: the lag of a group that committed, from the in-process broker; and, against a broker that
 * accepts connections but never answers, that no lock is held while the admin client waits (issue 20 point 5): a
 * second read enters its broker wait while the first is still in its own, and {@code close()} returns and ends both
 * long before their 20 s timeout (with the old {@code synchronized} read, the second read and close waited for it).
 */
class KafkaLagReaderTest {
    private static final long READ_TIMEOUT_MS = 20_000;

    @Test
    void readsTheLagOfAGroupThatCommitted() throws Exception {
        String topic = "lag-" + UUID.randomUUID();
        String group = "lag-group-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 1, false, 1_000_000)));
        KafkaClients kafka = KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers());
        try (KafkaProducer<String, String> p = kafka.producer("lag-test", new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, "v")).get();
            }
        }
        try (KafkaConsumer<String, String> c = kafka.consumer("lag-test", Optional.of(group), Map.of(),
                new StringDeserializer(), new StringDeserializer())) {
            c.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)));
        }
        try (KafkaLagReader reader = new KafkaLagReader(kafka, 10_000)) {
            List<KafkaLagReader.GroupLag> lag = reader.read().stream().filter(g -> g.group().equals(group)).toList();
            assertEquals(1, lag.size(), "groups read: " + lag);
            assertEquals(topic, lag.get(0).topic());
            assertEquals(3, lag.get(0).lag(), "5 records, 2 committed");
            assertEquals(1, lag.get(0).partitions());
        }
    }

    @Test
    void aReadWaitingOnTheBrokerHoldsUpNeitherAnotherReadNorClose() throws Exception {
        try (SilentBroker broker = new SilentBroker()) {
            KafkaLagReader reader = new KafkaLagReader(KafkaClients.forBootstrap(broker.address()), READ_TIMEOUT_MS);
            List<Thread> readers = new ArrayList<>();
            List<CompletableFuture<Object>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CompletableFuture<Object> result = new CompletableFuture<>();
                results.add(result);
                readers.add(Thread.ofPlatform().name("lag-read-" + i).start(() -> {
                    try {
                        result.complete(reader.read());
                    } catch (Throwable e) {
                        result.complete(e);
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!readers.stream().allMatch(KafkaLagReaderTest::waitsOnTheBroker)) {
                assertTrue(System.nanoTime() < deadline, "both reads should wait on the broker at once; states: "
                        + readers.stream().map(t -> t.getName() + " " + t.getState()).toList());
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            reader.close();
            long closed = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closed < READ_TIMEOUT_MS / 2, "close took " + closed + " ms: it waited for a read");
            for (CompletableFuture<Object> result : results) {
                Object outcome = result.get(READ_TIMEOUT_MS / 2, TimeUnit.MILLISECONDS);
                // a read ends with the admin client's failure, not with lag figures from a broker that said nothing
                assertInstanceOf(ExecutionException.class, outcome, "outcome: " + outcome);
            }
            assertTrue(broker.connections() > 0, "the reads reached the silent broker");
        }
    }

    /** Whether the thread is parked in a Kafka future's get, i.e. inside the broker call, not before a lock. */
    private static boolean waitsOnTheBroker(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().startsWith("org.apache.kafka.common"
                + ".internals.KafkaFutureImpl") && f.getMethodName().equals("get"));
    }

    /** A loopback listener that accepts and reads Kafka requests but never answers one. */
    private static final class SilentBroker implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

        SilentBroker() throws Exception {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("silent-broker").start(this::accept);
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return accepted.size();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    accepted.add(s);
                    Thread.ofPlatform().daemon().start(() -> drain(s));
                }
            } catch (Exception closed) {
                // the test ended
            }
        }

        private static void drain(Socket s) {
            try (InputStream in = s.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (Exception gone) {
                // the client hung up
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
