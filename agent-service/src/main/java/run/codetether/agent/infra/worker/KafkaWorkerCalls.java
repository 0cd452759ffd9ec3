package run.codetether.agent.infra.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.worker.WorkerCallReply;
import run.codetether.contracts.worker.WorkerCallRequest;
import run.codetether.contracts.worker.WorkerRegistration;
import run.codetether.platform.json.Json;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * A task's tool calls for a worker's codebase: each goes on {@value Topics#WORKERS_CALLS} (the gateway replica that
 * holds the worker's stream delivers it) and its answer comes back on {@value Topics#WORKERS_RESULTS} keyed by this
 * agent instance. The registry ({@value Topics#WORKERS_REGISTRY}) tells which worker serves a codebase id and when it
 * reconnected: the call is then sent again under the same key (the worker runs a key at most once). A worker that is
 * gone (or never there) for longer than the configured wait fails the call with a clear reason: INTERRUPTED once the
 * call was sent (it may have run), as a result the worker itself marks interrupted (issue 19).
 */
public final class KafkaWorkerCalls implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaWorkerCalls.class);
    private static final ObjectMapper JSON = Json.mapper();
    private static final long SLICE_MS = 200;

    private record Pending(LinkedBlockingQueue<WorkerCallReply> replies) {}

    private final KafkaClients kafka;
    private final String instanceId;
    private final Duration workerWait;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, WorkerRegistration> registry = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final List<PollLoop<String, byte[]>> loops = new CopyOnWriteArrayList<>();
    private final LoopHealth health;

    public KafkaWorkerCalls(String bootstrap, String instanceId, Duration workerWait) {
        this(KafkaClients.forBootstrap(bootstrap), instanceId, workerWait);
    }

    public KafkaWorkerCalls(KafkaClients kafka, String instanceId, Duration workerWait) {
        this(kafka, new LoopHealth(), instanceId, workerWait);
    }

    /**
     * @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included)
     * @param health where the two readers report (a dead one turns the agent's readiness down)
     */
    public KafkaWorkerCalls(KafkaClients kafka, LoopHealth health, String instanceId, Duration workerWait) {
        this.kafka = kafka;
        this.health = health;
        this.instanceId = instanceId;
        this.workerWait = workerWait;
        // a call is on the model's critical path: no linger (the platform's max.block.ms of 10 s is kept)
        producer = kafka.producer("agent-" + instanceId + "-" + Topics.WORKERS_CALLS,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"), new StringSerializer(), new ByteArraySerializer());
    }

    public void start(Duration timeout) {
        CatchUp caughtUp = follow(Topics.WORKERS_REGISTRY, CatchUp.From.BEGINNING, timeout, r -> {
            try {
                if (r.value() == null) {
                    registry.remove(r.key());
                } else {
                    registry.put(r.key(), JSON.readValue(r.value(), WorkerRegistration.class));
                }
            } catch (Exception e) {
                LOG.warnf("skipping unreadable worker registration at offset %d: %s", r.offset(), e.getMessage());
            }
        });
        follow(Topics.WORKERS_RESULTS, CatchUp.From.END, timeout, r -> {
            if (!instanceId.equals(r.key())) {
                return;
            }
            try {
                WorkerCallReply reply = JSON.readValue(r.value(), WorkerCallReply.class);
                Pending p = pending.get(reply.callKey());
                if (p != null) {
                    p.replies().add(reply);
                }
            } catch (Exception e) {
                LOG.warnf("skipping unreadable worker reply at offset %d: %s", r.offset(), e.getMessage());
            }
        });
        try {
            if (!caughtUp.await(timeout)) {
                // not fatal: a codebase task's call waits for its worker (wait-for) while the registry is read
                LOG.warnf("the worker registry (%s) was not read within %s; reading on", Topics.WORKERS_REGISTRY,
                        timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the worker registry", e);
        }
    }

    /** The worker serving this codebase id now. */
    Optional<WorkerRegistration> workerOf(String codebaseId) {
        return registry.values().stream().filter(w -> w.codebase(codebaseId).isPresent()).findFirst();
    }

    public ToolExecutor.Outcome execute(String codebaseId, String callKey, String tool, String argumentsJson,
            Duration timeout, Consumer<String> output) throws InterruptedException {
        WorkerCallReply r = call(codebaseId, callKey, WorkerCallRequest.EXECUTE, tool, argumentsJson, timeout,
                output);
        if (r.interrupted()) {
            // cut off on the worker (killed, stopped, disconnected mid-command) or gone with the call sent: the same
            // outcome as a tools-service call cut off by its death
            return ToolExecutor.Outcome.interrupted(r.error().startsWith("INTERRUPTED: ") ? r.error()
                    : "INTERRUPTED: " + r.error());
        }
        return switch (r.kind()) {
            case WorkerCallReply.RESULT -> new ToolExecutor.Outcome(r.ok(), r.output(), r.error(), r.replayed(),
                    r.metadataJson());
            default -> new ToolExecutor.Outcome(false, "", r.error(), false, "");
        };
    }

    public ToolExecutor.Preview preview(String codebaseId, String tool, String argumentsJson)
            throws InterruptedException {
        WorkerCallReply r = call(codebaseId, "preview:" + java.util.UUID.randomUUID(), WorkerCallRequest.PREVIEW,
                tool, argumentsJson, Duration.ofSeconds(30), null);
        if (!r.kind().equals(WorkerCallReply.PREVIEW)) {
            return new ToolExecutor.Preview(true, "", r.error());
        }
        return r.hasPreview() ? new ToolExecutor.Preview(true, r.diff(), r.error()) : ToolExecutor.Preview.NONE;
    }

    /** Sends and waits; the reply is a RESULT/PREVIEW, or a REFUSED made here with the reason it cannot be had. */
    private WorkerCallReply call(String codebaseId, String callKey, String kind, String tool, String argumentsJson,
            Duration timeout, Consumer<String> output) throws InterruptedException {
        Pending p = new Pending(new LinkedBlockingQueue<>());
        pending.put(callKey, p);
        long deadline = System.nanoTime() + timeout.toNanos() + workerWait.toNanos() + TimeUnit.SECONDS.toNanos(5);
        long sentEpoch = -1;
        long goneSince = -1;
        String workerId = null;
        try {
            while (true) {
                Optional<WorkerRegistration> w = workerOf(codebaseId);
                long now = System.nanoTime();
                if (w.isEmpty()) {
                    goneSince = goneSince < 0 ? now : goneSince;
                    if (now - goneSince > workerWait.toNanos()) {
                        String waited = " (waited " + workerWait.toSeconds() + " s for it:"
                                + " codetether.agent.workers.wait-for); the call ";
                        return sentEpoch < 0 ? WorkerCallReply.refused(callKey, instanceId, "no worker serving codebase "
                                + codebaseId + " is connected" + waited + "was not run")
                                : WorkerCallReply.interrupted(callKey, instanceId, "the worker serving codebase "
                                        + codebaseId + " went away during the call" + waited + "may or may not have run");
                    }
                } else {
                    goneSince = -1;
                    if (w.get().epoch() != sentEpoch) {
                        // first send, or the worker reconnected: send again, the worker runs the key at most once
                        workerId = w.get().workerId();
                        sentEpoch = w.get().epoch();
                        String codebase = w.get().codebase(codebaseId).get().name();
                        send(new WorkerCallRequest(callKey, workerId, codebase, kind, tool, argumentsJson,
                                timeout.toMillis(), output != null, instanceId, null));
                    }
                }
                if (now > deadline) {
                    cancel(callKey, workerId);
                    String why = "the worker did not answer within " + timeout.toSeconds() + " s";
                    return sentEpoch < 0 ? WorkerCallReply.refused(callKey, instanceId, why)
                            : WorkerCallReply.interrupted(callKey, instanceId, why + " (the call was sent: it may or"
                                    + " may not have run)");
                }
                WorkerCallReply r = p.replies().poll(SLICE_MS, TimeUnit.MILLISECONDS);
                while (r != null) {
                    if (r.kind().equals(WorkerCallReply.OUTPUT)) {
                        if (output != null) {
                            output.accept(r.output());
                        }
                    } else {
                        return r;
                    }
                    r = p.replies().poll();
                }
            }
        } catch (InterruptedException e) {
            cancel(callKey, workerId);
            throw e;
        } finally {
            pending.remove(callKey);
        }
    }

    private void cancel(String callKey, String workerId) {
        if (workerId != null) {
            send(new WorkerCallRequest(callKey, workerId, "", WorkerCallRequest.CANCEL, "", "{}", 0, false,
                    instanceId, null));
        }
    }

    private void send(WorkerCallRequest request) {
        try {
            producer.send(new ProducerRecord<>(Topics.WORKERS_CALLS, request.workerId(),
                    JSON.writeValueAsBytes(request)), (m, e) -> {
                        if (e != null) {
                            LOG.errorf("cannot send worker call %s: %s", request.callKey(), e.getMessage());
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException("cannot send a worker call: " + e.getMessage(), e);
        }
    }

    /**
     * Reads every partition of the topic, without a group, on a platform loop. The topic may not exist yet (the
     * gateway or the operator creates the workers.* topics): the loop waits for it, and closing stops the wait.
     */
    private CatchUp follow(String topic, CatchUp.From from, Duration timeout,
            Consumer<ConsumerRecord<String, byte[]>> handler) {
        CatchUp catchUp = new CatchUp();
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("agent-" + instanceId + "-" + topic, Optional.empty(),
                Traffic.RARE, Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        loops.add(catchUp.loop(topic + "-" + instanceId, consumer, health, handler)
                .onStart(c -> catchUp.assign(c, awaitTopic(c, topic, timeout), from, timeout))
                .start());
        return catchUp;
    }

    private static List<TopicPartition> awaitTopic(KafkaConsumer<?, ?> c, String topic, Duration timeout) {
        while (true) {
            List<TopicPartition> parts = CatchUp.partitionsOf(c, topic, timeout);
            if (!parts.isEmpty()) {
                return parts;
            }
            LOG.warnf("topic %s does not exist yet; worker mode waits for it", topic);
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                throw new InterruptException(e); // closed while waiting: the loop stops cleanly
            }
        }
    }

    @Override
    public void close() {
        loops.forEach(PollLoop::close);
        producer.close(Duration.ofSeconds(5));
    }
}
