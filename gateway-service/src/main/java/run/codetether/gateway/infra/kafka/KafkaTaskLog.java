package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.EncodedJson;
import run.codetether.contracts.events.SharedMessageJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TaskLog;
import run.codetether.gateway.infra.store.TaskJsonMemo;
import run.codetether.platform.kafka.KafkaClients;

/**
 * The task log on Kafka, with the platform's producers (acks=all, idempotent, the service's {@code kafka.*}
 * settings): a record acknowledged to a client is durable and written once, and one task's events keep their order.
 *
 * <p>Two producers: the client's writes (events, work requests, control) give up after {@code sendTimeout} so that a
 * SendMessage during a Kafka outage fails fast with a retryable UNAVAILABLE instead of hanging (a client retries;
 * nothing it was told about was half-written); the {@code tasks.state} writes ({@link TaskStateWriter}, on a thread
 * of its own) keep the platform's long delivery timeout (30 s), since the reader commits its position after them and
 * must not lose one to a short outage.
 */
public final class KafkaTaskLog implements TaskLog, AutoCloseable {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(KafkaTaskLog.class);
    private static final java.util.concurrent.Executor CALLBACKS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    /** The retry hint of an UNAVAILABLE answer. */
    static final long RETRY_AFTER_SECONDS = 2;
    private final KafkaProducer<String, Object> producer;
    private final KafkaProducer<String, Object> stateProducer;
    private final TaskStateWriter stateWriter;
    /** A folded task (tasks.state) may outgrow the client's 1 MB default; the topics allow this much. */
    private static final Map<String, Object> LARGE_RECORDS = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Integer.toString(Topics.TASK_MAX_MESSAGE_BYTES));

    public KafkaTaskLog(String bootstrapServers, String clientId) {
        this(bootstrapServers, clientId, Duration.ofSeconds(2));
    }

    /** @param sendTimeout longest a client's write waits for Kafka before it fails (at least 100 ms) */
    public KafkaTaskLog(String bootstrapServers, String clientId, Duration sendTimeout) {
        this(KafkaClients.forBootstrap(bootstrapServers), clientId, sendTimeout);
    }

    /**
     * @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included)
     * @param sendTimeout longest a client's write waits for Kafka before it fails (at least 100 ms)
     */
    public KafkaTaskLog(KafkaClients kafka, String clientId, Duration sendTimeout) {
        this(kafka, clientId, sendTimeout, TaskStateWriter.DEFAULT_HOLD);
    }

    /**
     * @param stateHold how long a task still submitted or working waits for a later change before its state record
     *     is written ({@link TaskStateWriter})
     */
    public KafkaTaskLog(KafkaClients kafka, String clientId, Duration sendTimeout, Duration stateHold) {
        int timeout = (int) Math.max(100, sendTimeout.toMillis());
        Map<String, Object> fastFail = new HashMap<>(LARGE_RECORDS);
        // delivery.timeout.ms >= linger.ms + request.timeout.ms (Kafka refuses the config otherwise)
        fastFail.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        fastFail.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(50, timeout * 3 / 4)));
        fastFail.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(Math.min(timeout, 10_000)));
        this.producer = kafka.producer(clientId + "-log", fastFail, new StringSerializer(), new Values());
        // the platform's timeouts (30 s delivery), which a service may tune through kafka.*
        this.stateProducer = kafka.producer(clientId + "-state", LARGE_RECORDS, new StringSerializer(), new Values());
        this.stateWriter = new TaskStateWriter(stateProducer, clientId, stateHold);
    }

    /** The writer of tasks.state records (its own thread, the long delivery timeout): what the reader hands to. */
    public TaskStateWriter stateWriter() {
        return stateWriter;
    }

    @Override
    public CompletableFuture<List<Long>> appendEvents(String taskId, List<TaskEvent> events) {
        return append(producer, taskId, events);
    }

    /** On the state producer: the platform's 30 s delivery timeout, not the client's send timeout. */
    @Override
    public CompletableFuture<List<Long>> appendEventsPatiently(String taskId, List<TaskEvent> events) {
        return append(stateProducer, taskId, events);
    }

    private CompletableFuture<List<Long>> append(KafkaProducer<String, Object> via, String taskId,
            List<TaskEvent> events) {
        List<CompletableFuture<RecordMetadata>> sends = new java.util.ArrayList<>();
        for (TaskEvent e : events) {
            CompletableFuture<RecordMetadata> sent = send(via, new ProducerRecord<>(Topics.TASKS_EVENTS, taskId, e));
            if (sent.isCompletedExceptionally()) {
                // refused at once (the producer waited max.block.ms for metadata of a broker that is gone): the
                // next send would wait as long again, and the client's fast failure would take twice the timeout
                // (3.2-3.6 s with a 1.5 s send timeout in the broker kill drill)
                return sent.thenApply(m -> List.of());
            }
            sends.add(sent);
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                .thenApply(v -> sends.stream().map(f -> f.join().offset()).toList());
    }

    /**
     * The accept's writes (see {@link TaskLog#accept}) with the user's message, which the event (the submitted
     * status's {@link TaskEvent.StatusChanged#accepted}, or the earlier release's {@code MessageAdded}) and the
     * command both carry, encoded once ({@link SharedMessageJson}: each record's bytes are what its own encoding would
     * be; issue 18/20).
     */
    @Override
    public CompletableFuture<List<Long>> accept(String taskId, List<TaskEvent> events, TaskCommand command) {
        Message shared = switch (command) {
            case TaskCommand.StartTask s -> s.message();
            case TaskCommand.ContinueTask c -> c.message();
        };
        List<Object> records = new ArrayList<>(events);
        records.add(command);
        List<byte[]> json = SharedMessageJson.writeAll(shared, records);
        List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            CompletableFuture<RecordMetadata> sent = send(producer,
                    new ProducerRecord<>(Topics.TASKS_EVENTS, taskId, new EncodedJson(json.get(i))));
            if (sent.isCompletedExceptionally()) {
                return sent.thenApply(m -> List.of()); // refused at once: see append
            }
            sends.add(sent);
        }
        CompletableFuture<RecordMetadata> requested = send(producer,
                new ProducerRecord<>(Topics.TASKS_REQUESTED, command.contextId(), new EncodedJson(json.get(events.size()))));
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                .thenCombine(requested, (v, m) -> sends.stream().map(f -> f.join().offset()).toList());
    }

    /**
     * The producers' values: contract records, or their JSON already encoded (handed over as they are; any other
     * contract serializer writes the same bytes, only through a JSON generator).
     */
    static final class Values implements org.apache.kafka.common.serialization.Serializer<Object> {
        @Override
        public byte[] serialize(String topic, Object data) {
            return data instanceof EncodedJson e ? e.json() : ContractJson.write(data);
        }
    }

    @Override
    public void recordState(run.codetether.contracts.a2a.Task task, long offset) {
        stateWriter.offer(task, offset);
    }

    /**
     * A tasks.state record: the task (already encoded: any contract serializer writes its bytes as they are), with
     * the events offset it is folded to in a header.
     */
    public static ProducerRecord<String, Object> stateRecord(run.codetether.contracts.a2a.Task task, long offset) {
        // the task's JSON as the store's checkpoint encodes it too: once for both (TaskJsonMemo)
        ProducerRecord<String, Object> rec = new ProducerRecord<>(Topics.TASKS_STATE, task.id(),
                new EncodedJson(TaskJsonMemo.SHARED.json(task)));
        rec.headers().add(KafkaTaskStateSync.OFFSET_HEADER,
                java.nio.ByteBuffer.allocate(8).putLong(offset).array());
        rec.headers().add(KafkaTaskStateSync.SUMMARY_HEADER, run.codetether.gateway.infra.store.SummaryCodec.encode(
                run.codetether.gateway.domain.TaskStore.Summary.of(task, offset)));
        return rec;
    }

    @Override
    public CompletableFuture<Void> request(TaskCommand command) {
        return send(new ProducerRecord<>(Topics.TASKS_REQUESTED, command.contextId(), command)).thenApply(m -> null);
    }

    @Override
    public CompletableFuture<Void> requestSwarm(run.codetether.contracts.swarm.SwarmCommand job) {
        return send(new ProducerRecord<>(Topics.SWARM_REQUESTED, job.swarmId(), job)).thenApply(m -> null);
    }

    /** On the state producer: a cancel that closes an unconfirmed start must land although the client's write failed. */
    @Override
    public CompletableFuture<Void> controlPatiently(TaskControl control) {
        return send(stateProducer, new ProducerRecord<>(Topics.TASKS_CONTROL, control.taskId(), control))
                .thenApply(m -> null);
    }

    @Override
    public CompletableFuture<Void> control(TaskControl control) {
        return send(new ProducerRecord<>(Topics.TASKS_CONTROL, control.taskId(), control)).thenApply(m -> null);
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, Object> record) {
        return send(producer, record);
    }

    private CompletableFuture<RecordMetadata> send(KafkaProducer<String, Object> via,
            ProducerRecord<String, Object> record) {
        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
        Thread caller = Thread.currentThread();
        try {
            via.send(record, (meta, err) -> {
                if (err != null) {
                    LOG.warnf("task log write to %s failed: %s", record.topic(), err.toString());
                    A2AException refused = A2AException.retryable(A2AError.UNAVAILABLE,
                            "Kafka did not accept the request in time (the task log is unavailable); nothing was "
                                    + "started; retry after " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
                    if (Thread.currentThread() == caller) {
                        // refused inside send() (it waited max.block.ms for a broker that is gone): failed before
                        // send() returns, so the caller sees it at once and does not wait as long again for its
                        // next record (the broker kill drill measured 3 such waits, 4.6 s, without this)
                        f.completeExceptionally(refused);
                    } else {
                        CALLBACKS.execute(() -> f.completeExceptionally(refused));
                    }
                } else {
                    // never run the caller's continuation on Kafka's I/O thread: a send() there waits for
                    // metadata that only this thread can fetch (a deadlock until max.block.ms)
                    CALLBACKS.execute(() -> f.complete(meta));
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("task log write to %s refused: %s", record.topic(), e.toString());
            f.completeExceptionally(A2AException.retryable(A2AError.UNAVAILABLE,
                    "The task log is unavailable; retry after " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS));
        }
        return f;
    }

    /** Longest wait of each producer's close for records still in flight. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public void close() {
        stateWriter.close();
        // bounded: sends are awaited by their callers, and a hung broker must not hold the exit (issue 19)
        producer.close(CLOSE_TIMEOUT);
        stateProducer.close(CLOSE_TIMEOUT);
    }
}
