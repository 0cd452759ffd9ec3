package run.codetether.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;

/**
 * A stand-in worker on the real broker: publishes task events in the contract's shape (for behaviour no service
 * produces yet, such as approval requests) and watches {@code tasks.requested} for what the gateway sends workers.
 */
final class TaskEvents implements AutoCloseable {
    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    TaskEvents(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    void publish(TaskEvent event) {
        try {
            producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, event.taskId(), ContractJson.write(event)))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + event, e);
        }
    }

    /** Starts reading {@code tasks.requested} at its current end (before the action that should write to it). */
    Watch watchRequests() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = c.partitionsFor(Topics.TASKS_REQUESTED).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position); // pin the end now
        return new Watch(c);
    }

    static final class Watch {
        private final KafkaConsumer<String, byte[]> consumer;

        Watch(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        TaskCommand.ContinueTask await(String taskId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (consumer) {
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        TaskCommand cmd = ContractJson.read(r.value(), TaskCommand.class);
                        if (cmd instanceof TaskCommand.ContinueTask c && c.taskId().equals(taskId)) {
                            return c;
                        }
                    }
                }
            }
            throw new AssertionError("no ContinueTask for " + taskId + " on " + Topics.TASKS_REQUESTED);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
