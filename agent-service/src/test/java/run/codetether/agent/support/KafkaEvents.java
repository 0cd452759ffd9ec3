package run.codetether.agent.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;

/** The gateway's side of the broker for tests: publishes commands and cancels, tails tasks.events. */
public final class KafkaEvents implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, Long> bytesByTask = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread tail;
    private volatile boolean running = true;
    private final String taskTopic;

    public KafkaEvents(String bootstrap, String taskTopic) {
        this.taskTopic = taskTopic;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-events-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.TASKS_EVENTS).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // fix the start now, before any command is sent
        tail = Thread.ofPlatform().daemon().start(() -> {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    events.add(ContractJson.read(r.value(), TaskEvent.class));
                    long size = r.serializedKeySize() + r.serializedValueSize();
                    bytesByTask.merge(r.key() == null ? "" : r.key(), size, Long::sum);
                }
            }
            consumer.close();
        });
    }

    public void send(TaskCommand cmd) throws Exception {
        producer.send(new ProducerRecord<>(taskTopic, cmd.contextId(), ContractJson.write(cmd))).get();
    }

    public void cancel(String taskId, String contextId) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TASKS_CONTROL, taskId,
                ContractJson.write(new TaskControl.CancelTask(taskId, contextId, "user asked", null)))).get();
    }

    public List<TaskEvent> of(String taskId) {
        return events.stream().filter(e -> e.taskId().equals(taskId)).toList();
    }

    /** Key and value bytes of the records on tasks.events keyed by {@code taskId} (what the broker stored). */
    public long bytesOf(String taskId) {
        return bytesByTask.getOrDefault(taskId, 0L);
    }

    public List<TaskEvent> all() {
        return List.copyOf(events);
    }

    public TaskEvent.StatusChanged awaitFinal(String taskId, Duration timeout) throws InterruptedException {
        return EventWait.awaitFinal(() -> of(taskId), timeout);
    }

    /** The text a client sees as {@code end}'s message ({@link EventWait#messageText}). */
    public String messageText(String taskId, TaskEvent.StatusChanged end) {
        return EventWait.messageText(of(taskId), end);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        tail.join(5_000);
        producer.close();
    }
}
