package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 19: a long task holds its partition's commit, a later task completes behind it, and the agent goes away. A
 * restarted agent remembers no end it sent; the partition's next owner reads both commands again. The long one
 * resumes; the finished one is not run again and its end is not sent a second time, because the commit said it
 * finished. Real broker, real loop (scripted model), one partition.
 */
class FinishedAheadIntakeTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private long completions(String taskId) {
        return h.events.of(taskId).stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.COMPLETED).count();
    }

    private static OffsetAndMetadata committed(Admin admin, String group, TopicPartition tp) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .get(tp);
    }

    @Test
    void aCommandFinishedBehindALongOneIsNotRunAgainByThePartitionsNextOwner() throws Exception {
        String topic = "finished-ahead-" + UUID.randomUUID();
        String group = "g-" + topic;
        TopicPartition tp = new TopicPartition(topic, 0);
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 1, false)));
        CountDownLatch release = new CountDownLatch(1);
        h.llm.respondWith(r -> {
            if (r.lastTurn().prompt().contains("long")) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.text("long done");
            }
            return Reply.text("quick done");
        });
        TaskCommand.StartTask slow = Commands.start("t-long", "c-long", "moonshotai", "a long job");
        TaskCommand.StartTask quick = Commands.start("t-quick", "c-quick", "moonshotai", "a quick one");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedKafkaBroker.bootstrapServers()))) {
            producer.send(new ProducerRecord<>(topic, slow.contextId(), ContractJson.write(slow))).get();
            producer.send(new ProducerRecord<>(topic, quick.contextId(), ContractJson.write(quick))).get();

            KafkaTaskIntake first = new KafkaTaskIntake(SharedKafkaBroker.bootstrapServers(), topic, group, "w1",
                    new TaskDispatcher(h.loop(), 4), "earliest").start();
            h.events.awaitFinal("t-quick", Duration.ofSeconds(30));
            OffsetAndMetadata held = null;
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < until && (held == null || FinishedAhead.parse(0, held.metadata()) == null)) {
                held = committed(admin, group, tp);
                Thread.sleep(50);
            }
            assertEquals(0, held.offset(), "the long task holds the commit");
            FinishedAhead ahead = FinishedAhead.parse(0, held.metadata());
            assertTrue(ahead != null && ahead.finished(1), "the commit says the quick one finished: " + held);
            first.close(); // gone, its long task unfinished

            int asked = h.llm.requests().size();
            // the restarted agent: a new loop (no memory of the ends it sent) and a new intake in the same group
            KafkaTaskIntake second = new KafkaTaskIntake(SharedKafkaBroker.bootstrapServers(), topic, group, "w2",
                    new TaskDispatcher(h.loop(), 4), "earliest").start();
            try {
                release.countDown();
                h.events.awaitFinal("t-long", Duration.ofSeconds(30));
                until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < until && committed(admin, group, tp).offset() < 2) {
                    Thread.sleep(50);
                }
                assertEquals(2, committed(admin, group, tp).offset(), "both commands done");
                assertEquals(1, completions("t-long"));
                assertEquals(1, completions("t-quick"), "the finished task's end went out once: "
                        + h.events.of("t-quick"));
                assertEquals(asked + 1, h.llm.requests().size(), "only the long task asked the model again");
            } finally {
                second.close();
            }
        } finally {
            release.countDown();
        }
    }
}
