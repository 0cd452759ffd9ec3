package run.codetether.bench.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
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

/** The gateway's half for the benchmark: send a command, read tasks.events until that task's final status. */
final class Gateway implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    /** Records (and their key + value bytes) of the awaited tasks seen on tasks.events: what every reader reads. */
    long records;
    long bytes;

    Gateway(String bootstrap, String topic) {
        this.topic = topic;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-gw-" + UUID.randomUUID());
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "1");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.TASKS_EVENTS).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
    }

    void sendAndAwait(TaskCommand cmd) throws Exception {
        producer.send(new ProducerRecord<>(topic, cmd.contextId(), ContractJson.write(cmd))).get();
        while (true) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                TaskEvent e = ContractJson.read(r.value(), TaskEvent.class);
                if (e.taskId().equals(cmd.taskId())) {
                    records++;
                    bytes += r.serializedKeySize() + r.serializedValueSize();
                }
                if (e.taskId().equals(cmd.taskId()) && e instanceof TaskEvent.StatusChanged s && s.isFinal()) {
                    if (s.status().state() != run.codetether.contracts.a2a.TaskState.COMPLETED) {
                        throw new IllegalStateException("task ended " + s.status().state() + ": " + s.status().message());
                    }
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
