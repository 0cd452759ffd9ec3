package run.codetether.agent.infra.swarm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmState;

/**
 * swarm-service's side of the broker, driven by the test: records every command on {@code swarm.requested} (from
 * the moment it is created) and publishes a swarm's progress on {@code tasks.events} and its state on
 * {@code swarm.state}, exactly as the coordinator does.
 */
final class SwarmServiceDouble implements AutoCloseable {
    /** A start command as the swarm tool sends it (the swarm's own id as its task id). */
    static SwarmCommand.StartSwarm startCommand(String swarmId, String contextId) {
        return new SwarmCommand.StartSwarm(swarmId, swarmId, contextId, null, "goal",
                run.codetether.contracts.swarm.SwarmStrategy.AUTO, "moonshotai", "kimi", 0, 2, Map.of(), Instant.now(),
                new SwarmCommand.Caller("caller", "call"));
    }

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<SwarmCommand> commands = new CopyOnWriteArrayList<>();
    private final Thread tail;
    private volatile boolean running = true;

    SwarmServiceDouble(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "swarm-double-" + UUID.randomUUID());
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(Topics.SWARM_REQUESTED).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        tail = Thread.ofPlatform().daemon().start(() -> {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    commands.add(ContractJson.read(r.value(), SwarmCommand.class));
                }
            }
            consumer.close();
        });
    }

    List<SwarmCommand> commands(String swarmId) {
        return commands.stream().filter(c -> c.swarmId().equals(swarmId)).toList();
    }

    /** Waits for the n-th (1-based) command of a swarm. */
    SwarmCommand await(String swarmId, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            List<SwarmCommand> mine = commands(swarmId);
            if (mine.size() >= n) {
                return mine.get(n - 1);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no command #" + n + " for " + swarmId + " within 30 s; saw " + commands);
    }

    void progress(SwarmCommand.StartSwarm s, String text) throws Exception {
        TaskEvent e = new TaskEvent.StatusChanged(s.taskId(), s.contextId(), "swarm-double",
                new TaskStatus(TaskState.WORKING, Message.agentText(UUID.randomUUID().toString(), s.contextId(),
                        s.taskId(), text), null), Map.of("swarm_id", s.swarmId(), "completed", 0, "total", 2), null);
        producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, s.taskId(), ContractJson.write(e))).get();
    }

    /** Other tasks' final statuses on {@code tasks.events}, as a busy stack writes them (no swarm involved). */
    void otherTasks(int n) {
        for (int i = 0; i < n; i++) {
            String task = "other-" + UUID.randomUUID();
            TaskEvent e = new TaskEvent.StatusChanged(task, "ctx", "agent-x",
                    new TaskStatus(TaskState.COMPLETED, null, null), Map.of(), null);
            producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, task, ContractJson.write(e)));
        }
        producer.flush();
    }

    void finish(SwarmCommand.StartSwarm s, SwarmPhase phase, String answer, String error) throws Exception {
        SwarmState state = new SwarmState(s, phase, List.of(), 0, answer, error, "swarm-double", 2, Instant.now(),
                null);
        producer.send(new ProducerRecord<>(Topics.SWARM_STATE, s.swarmId(), ContractJson.write(state))).get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        tail.join(5_000);
        producer.close();
    }
}
