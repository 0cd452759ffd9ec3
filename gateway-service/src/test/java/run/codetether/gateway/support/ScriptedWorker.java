package run.codetether.gateway.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.ArtifactClose;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.contracts.kafka.TaskCommandDeserializer;
import run.codetether.contracts.kafka.TaskControlDeserializer;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * Plays agent-service in tests: a plain Kafka consumer of tasks.requested that answers with TaskEvents on
 * tasks.events, scripted by the first word of the message text:
 * <ul>
 *   <li>{@code echo ...} (or anything else): working, an artifact "echo: text", completed with an agent message</li>
 *   <li>{@code ask ...}: working, then input-required; the follow-up message completes with "got: text"</li>
 *   <li>{@code chunks N}: working, N appended artifact chunks, completed</li>
 *   <li>{@code hang}: working, then nothing until a cancel arrives on tasks.control</li>
 *   <li>{@code fail}: working, failed</li>
 * </ul>
 * Every command and control signal is recorded for assertions. One per test JVM.
 */
public final class ScriptedWorker implements AutoCloseable {
    private static ScriptedWorker shared;

    public final List<TaskCommand> commands = new CopyOnWriteArrayList<>();
    public final List<TaskControl> controls = new CopyOnWriteArrayList<>();
    public final Map<String, String> swarmJobs = new ConcurrentHashMap<>();
    private final KafkaProducer<String, Object> producer;
    private volatile boolean running = true;
    private final Thread commandThread;
    private final Thread controlThread;

    public static synchronized ScriptedWorker shared() {
        if (shared == null) {
            shared = new ScriptedWorker(SharedKafkaBroker.bootstrapServers());
        }
        return shared;
    }

    private ScriptedWorker(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ContractSerializer());
        KafkaConsumer<String, TaskCommand> cmds = new KafkaConsumer<>(props(bootstrap, "test-worker"),
                new StringDeserializer(), new TaskCommandDeserializer());
        cmds.subscribe(List.of(Topics.TASKS_REQUESTED));
        KafkaConsumer<String, TaskControl> ctl = new KafkaConsumer<>(props(bootstrap, "test-worker-control"),
                new StringDeserializer(), new TaskControlDeserializer());
        ctl.subscribe(List.of(Topics.TASKS_CONTROL));
        commandThread = Thread.ofPlatform().daemon().name("scripted-worker").start(() -> {
            while (running) {
                for (ConsumerRecord<String, TaskCommand> r : cmds.poll(Duration.ofMillis(100))) {
                    commands.add(r.value());
                    handle(r.value());
                }
                cmds.commitSync();
            }
            cmds.close();
        });
        controlThread = Thread.ofPlatform().daemon().name("scripted-worker-control").start(() -> {
            while (running) {
                for (ConsumerRecord<String, TaskControl> r : ctl.poll(Duration.ofMillis(100))) {
                    controls.add(r.value());
                }
                ctl.commitSync();
            }
            ctl.close();
        });
    }

    private static Properties props(String bootstrap, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }

    private void handle(TaskCommand command) {
        String id = command.taskId();
        String ctx = command.contextId();
        String text = switch (command) {
            case TaskCommand.StartTask s -> s.message().text();
            case TaskCommand.ContinueTask c -> c.message().text();
        };
        status(id, ctx, TaskState.WORKING, null);
        if (command instanceof TaskCommand.ContinueTask) {
            complete(id, ctx, "got: " + text);
            return;
        }
        String word = text.split("\\s+", 2)[0];
        switch (word) {
            case "ask" -> status(id, ctx, TaskState.INPUT_REQUIRED, "Which branch?");
            case "hang" -> { }
            case "fail" -> status(id, ctx, TaskState.FAILED, "scripted failure");
            case "chunks" -> {
                int n = Integer.parseInt(text.split("\\s+")[1]);
                for (int i = 0; i < n; i++) {
                    Artifact a = new Artifact("out", "output", null, List.of(Part.Text.of("chunk" + i)), null, null);
                    send(new TaskEvent.ArtifactAdded(id, ctx, "test-worker", a, i > 0, i == n - 1, null));
                }
                status(id, ctx, TaskState.COMPLETED, "done");
            }
            case "stream" -> stream(id, ctx, Integer.parseInt(text.split("\\s+")[1]));
            default -> complete(id, ctx, "echo: " + text);
        }
    }

    /**
     * As the agent completes a task (issue 18): the final status carries the finished answer artifact, and its
     * message is that artifact's text (sent without it).
     */
    private void complete(String id, String ctx, String answer) {
        send(new TaskEvent.StatusChanged(id, ctx, "test-worker", new TaskStatus(TaskState.COMPLETED, textless(ctx, id),
                null), null, null, null, null, new ArtifactClose("answer", "answer", null, answer, 0, true)));
    }

    /**
     * As the agent streams an answer: {@code n} chunks "part0 ", "part1 ", ... of the answer artifact, then the final
     * status that closes them with the rest "end." and whose message is the finished text ("part0 part1 end.").
     */
    private void stream(String id, String ctx, int n) {
        long offset = 0;
        for (int i = 0; i < n; i++) {
            String piece = "part" + i + " ";
            send(TaskEvent.ArtifactAdded.textChunk(id, ctx, "test-worker", "answer", "answer", piece, offset, 1));
            offset += piece.length();
        }
        send(new TaskEvent.StatusChanged(id, ctx, "test-worker", new TaskStatus(TaskState.COMPLETED, textless(ctx, id),
                null), null, null, null, null, new ArtifactClose("answer", "answer", null, "end.", offset, true)));
    }

    private static Message textless(String ctx, String id) {
        return new Message(UUID.randomUUID().toString(), Role.AGENT, List.of(), ctx, id, null, null, null);
    }

    public void status(String id, String ctx, TaskState state, String text) {
        Message m = text == null ? null : Message.agentText(UUID.randomUUID().toString(), ctx, id, text);
        send(new TaskEvent.StatusChanged(id, ctx, "test-worker", new TaskStatus(state, m, null), null, null));
    }

    public void send(TaskEvent e) {
        try {
            producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, e.taskId(), e)).get();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    public TaskCommand commandFor(String taskId) {
        return commands.stream().filter(c -> c.taskId().equals(taskId)).reduce((a, b) -> b).orElse(null);
    }

    @Override
    public void close() {
        running = false;
    }
}
