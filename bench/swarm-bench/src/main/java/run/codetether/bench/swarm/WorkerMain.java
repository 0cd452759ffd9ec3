package run.codetether.bench.swarm;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.contracts.kafka.TaskCommandDeserializer;

/**
 * A zero-latency agent worker: {@code java -cp swarm-bench.jar run.codetether.bench.swarm.WorkerMain BOOTSTRAP
 * GROUP [WORK_MS]}. Consumes {@code tasks.requested} in GROUP and completes every subtask at once (after WORK_MS).
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        SwarmBench.quietLogs();
        run(args[0], args[1], args.length > 2 ? Long.parseLong(args[2]) : 0, "worker-" + ProcessHandle.current().pid());
    }

    static void run(String bootstrap, String group, long workMs, String name) throws InterruptedException {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new TaskCommandDeserializer());
                var producer = new KafkaProducer<String, Object>(p, new StringSerializer(), new ContractSerializer())) {
            consumer.subscribe(List.of(Topics.TASKS_REQUESTED));
            while (!Thread.currentThread().isInterrupted()) {
                var records = consumer.poll(Duration.ofMillis(20));
                for (var r : records) {
                    if (r.value() instanceof TaskCommand.StartTask t && t.swarmId() != null) {
                        if (workMs > 0) {
                            Thread.sleep(workMs);
                        }
                        var msg = Message.agentText("m-" + t.taskId(), t.contextId(), t.taskId(),
                                "done: " + t.subtask().subtaskId());
                        producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, t.taskId(), new TaskEvent.StatusChanged(
                                t.taskId(), t.contextId(), name, new TaskStatus(TaskState.COMPLETED, msg, null), null, null)));
                    }
                }
                if (!records.isEmpty()) {
                    producer.flush();
                    consumer.commitAsync();
                }
            }
        }
    }
}
