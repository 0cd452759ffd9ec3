package run.codetether.swarm.infra;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
import run.codetether.contracts.kafka.TaskEventDeserializer;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.swarm.domain.AnswerAggregator;
import run.codetether.swarm.domain.InMemoryResultCache;
import run.codetether.swarm.domain.LlmDecomposer;
import run.codetether.swarm.domain.ProviderRateLimiter;
import run.codetether.swarm.domain.ResultValidator;
import run.codetether.swarm.domain.SwarmCoordinator;
import run.codetether.swarm.domain.SwarmSettings;
import run.codetether.swarm.infra.kafka.KafkaSwarmRuntime;
import run.codetether.swarm.infra.llm.OpenAiCompatChat;
import run.codetether.swarm.infra.llm.SwarmProviders;

/** Test-side pieces around the real broker: coordinators, agent workers and a watcher of one swarm task. */
public final class SwarmKafkaHarness {
    private SwarmKafkaHarness() {}

    /** A coordinator instance in {@code group}, decomposing through the scripted LLM at {@code llmBaseUrl}. */
    public static KafkaSwarmRuntime runtime(String bootstrap, String group, String instanceId, String llmBaseUrl) {
        return runtime(new KafkaClients(KafkaSettings.of(bootstrap)), group, instanceId, llmBaseUrl);
    }

    /** A runtime on clients of the test's own (e.g. a longer hold of idle fetches). */
    public static KafkaSwarmRuntime runtime(KafkaClients clients, String group, String instanceId,
            String llmBaseUrl) {
        positionAtEnd(clients.settings().bootstrapServers(), group, Topics.SWARM_REQUESTED);
        var chat = new OpenAiCompatChat(SwarmProviders.local(llmBaseUrl, "scripted"), Duration.ofSeconds(10));
        var limiter = new ProviderRateLimiter(1000, 1000, System::nanoTime);
        // model calls on virtual threads, as in the service: planning never runs on a consumer thread
        return new KafkaSwarmRuntime(clients, group, instanceId, new LoopHealth(),
                KafkaSwarmRuntime.DEFAULT_STATE_READ_TIMEOUT, outbox -> new SwarmCoordinator(instanceId,
                new LlmDecomposer(chat), new ResultValidator(1, null), new InMemoryResultCache(10_000), limiter,
                outbox, new SwarmSettings(8, 100, 2), Clock.systemUTC(), AnswerAggregator.JOIN,
                Executors.newVirtualThreadPerTaskExecutor())).start();
    }

    /** Commits the topic's end offsets for a fresh group, so it ignores what earlier tests left on the topic. */
    public static void positionAtEnd(String bootstrap, String group, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).isEmpty()) {
                return;
            }
            var parts = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            var ends = admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS);
            admin.alterConsumerGroupOffsets(group, ends.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot position group " + group, e);
        }
    }

    public static KafkaProducer<String, Object> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new ContractSerializer());
    }

    public static void send(KafkaProducer<String, Object> producer, SwarmCommand cmd) {
        try {
            producer.send(new ProducerRecord<>(Topics.SWARM_REQUESTED, cmd.swarmId(), cmd)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Agent workers: plain consumers of {@code tasks.requested} in one group. Each answers a subtask of a watched
     * swarm with an agent message and a completed status, or holds it while {@link #hold} is set.
     */
    public static final class Workers implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final List<KafkaConsumer<String, TaskCommand>> consumers = new CopyOnWriteArrayList<>();
        private final KafkaProducer<String, Object> producer;
        private final Set<String> swarms;
        public final AtomicBoolean hold = new AtomicBoolean();
        public final BlockingQueue<TaskCommand.StartTask> held = new LinkedBlockingQueue<>();
        public final List<TaskCommand.StartTask> received = new CopyOnWriteArrayList<>();
        public final Map<String, AtomicInteger> perWorker = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        public Workers(String bootstrap, String group, int count, Set<String> swarms) {
            positionAtEnd(bootstrap, group, Topics.TASKS_REQUESTED);
            this.producer = producer(bootstrap);
            this.swarms = swarms;
            for (int i = 0; i < count; i++) {
                Properties p = new Properties();
                p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new TaskCommandDeserializer());
                consumers.add(consumer);
                String name = "worker-" + i;
                perWorker.put(name, new AtomicInteger());
                threads.add(Thread.ofPlatform().daemon().name(name).start(() -> run(consumer, name)));
            }
        }

        private void run(KafkaConsumer<String, TaskCommand> consumer, String name) {
            consumer.subscribe(List.of(Topics.TASKS_REQUESTED));
            try {
                while (running) {
                    for (var r : consumer.poll(Duration.ofMillis(50))) {
                        if (r.value() instanceof TaskCommand.StartTask t && t.swarmId() != null && swarms.contains(t.swarmId())) {
                            received.add(t);
                            perWorker.get(name).incrementAndGet();
                            if (hold.get()) {
                                held.add(t);
                            } else {
                                complete(t, name);
                            }
                        }
                    }
                    consumer.commitSync();
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        public void complete(TaskCommand.StartTask t, String worker) {
            String text = "result of " + t.subtask().subtaskId();
            var msg = Message.agentText("m-" + t.taskId(), t.contextId(), t.taskId(), text);
            producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, t.taskId(),
                    new TaskEvent.MessageAdded(t.taskId(), t.contextId(), worker, msg, null)));
            producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, t.taskId(), new TaskEvent.StatusChanged(t.taskId(),
                    t.contextId(), worker, new TaskStatus(TaskState.COMPLETED, msg, null), null, null)));
            producer.flush();
        }

        @Override
        public void close() {
            running = false;
            consumers.forEach(KafkaConsumer::wakeup);
            threads.forEach(t -> {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.close();
        }
    }

    /** Collects every {@code tasks.events} record of one task, from the end of the topic at creation on. */
    public static final class TaskWatcher implements AutoCloseable {
        private final KafkaConsumer<String, TaskEvent> consumer;
        private final String taskId;
        public final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());

        public TaskWatcher(String bootstrap, String taskId) {
            this.taskId = taskId;
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new TaskEventDeserializer());
            var parts = consumer.partitionsFor(Topics.TASKS_EVENTS).stream()
                    .map(i -> new TopicPartition(Topics.TASKS_EVENTS, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
        }

        /** Polls until an event matches or the timeout passes (then fails with what arrived). */
        public TaskEvent await(Predicate<TaskEvent> match, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    if (taskId.equals(r.key()) && r.value() != null) {
                        events.add(r.value());
                    }
                }
                for (TaskEvent e : List.copyOf(events)) {
                    if (match.test(e)) {
                        return e;
                    }
                }
            }
            throw new AssertionError("no matching event for task " + taskId + " within " + timeout + "; got "
                    + events.stream().map(SwarmKafkaHarness::describe).toList());
        }

        public TaskEvent.StatusChanged awaitFinal(Duration timeout) {
            return (TaskEvent.StatusChanged) await(e -> e instanceof TaskEvent.StatusChanged s && s.isFinal(), timeout);
        }

        public List<String> progressTexts() {
            return List.copyOf(events).stream().filter(e -> e instanceof TaskEvent.StatusChanged s && s.status().message() != null)
                    .map(e -> ((TaskEvent.StatusChanged) e).status().message().text()).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    static String describe(TaskEvent e) {
        return e instanceof TaskEvent.StatusChanged s ? s.status().state() + ":" + (s.status().message() == null ? ""
                : s.status().message().text()) : e.getClass().getSimpleName();
    }
}
