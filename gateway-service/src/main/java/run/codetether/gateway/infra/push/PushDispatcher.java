package run.codetether.gateway.infra.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.PushConfigStore;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.domain.handler.PushPayloads;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * Delivers task updates to webhooks. Runs in the consumer group {@value #GROUP} on tasks.events, so each event is
 * delivered by exactly one replica (the owner of its partition), in order per task. The group's position is
 * committed only after an event's deliveries finished (acknowledged, refused with a 4xx, or out of retries), so
 * a gateway restart resumes deliveries instead of losing them (at least once; receivers dedupe).
 *
 * <p>Payload: the event as a typed stream item, serialized by the {@link PushPayloads} port in the shape of the
 * version the config was made over (a 1.0 StreamResponse, or the 0.3 event object). Headers: {@code Authorization: <scheme>
 * <credentials>} when the config has authentication, {@code X-A2A-Notification-Token} when it has a token.
 */
public final class PushDispatcher implements AutoCloseable {
    public static final String GROUP = "codetether-gateway-push";
    private static final Logger LOG = Logger.getLogger(PushDispatcher.class);

    private final PushConfigStore store;
    private final PushPayloads payloads;
    private final UrlPolicy policy;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration timeout;
    private final HttpClient http;
    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public PushDispatcher(PushConfigStore store, PushPayloads payloads, UrlPolicy policy, int maxAttempts,
            Duration initialBackoff, Duration timeout) {
        this.store = store;
        this.payloads = payloads;
        this.policy = policy;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoff = initialBackoff;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public void start(String bootstrap, String instanceId, boolean enabled) {
        if (!enabled) {
            return;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + instanceId + "-push");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30 * 60_000);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.TASKS_EVENTS));
        thread = Thread.ofPlatform().daemon().name("push-" + instanceId).start(this::run);
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    try {
                        deliver(ContractJson.read(r.value(), TaskEvent.class));
                    } catch (RuntimeException e) {
                        LOG.warnf("push: skipping event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                                e.getMessage());
                    }
                    done.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    if (!running) {
                        break;
                    }
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf("push dispatcher stopped: %s", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void deliver(TaskEvent event) {
        var item = StreamEvent.of(event, placeholder(event));
        if (item.isEmpty()) {
            return; // a message goes into the history only
        }
        for (PushConfigStore.Stored s : store.list(event.taskId())) {
            deliver(s.config(), payloads.serialize(item.get(), s.version()));
        }
    }

    /** The stream item reads context and status from the folded task; the event carries what it needs. */
    private static Task placeholder(TaskEvent event) {
        TaskStatus status = event instanceof TaskEvent.StatusChanged s ? s.status() : TaskStatus.of(TaskState.WORKING);
        return new Task(event.taskId(), event.contextId(), status, null, null, null);
    }

    void deliver(PushConfig config, String body) {
        URI uri;
        try {
            uri = policy.check(config.url());
        } catch (A2AException e) {
            LOG.warnf("push: refusing delivery for task %s config %s: %s", config.taskId(), config.id(),
                    e.getMessage());
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (config.authScheme() != null && config.credentials() != null) {
            b.header("Authorization", config.authScheme() + " " + config.credentials());
        }
        if (config.token() != null) {
            b.header("X-A2A-Notification-Token", config.token());
        }
        HttpRequest request = b.build();
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; attempt <= maxAttempts && running; attempt++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
                if (status / 100 == 4 && status != 408 && status != 429) {
                    LOG.warnf("push: webhook for task %s answered %d; not retrying", config.taskId(), status);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // connection refused, timeout: retried below
            }
            if (attempt < maxAttempts) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff *= 2;
            }
        }
        LOG.warnf("push: giving up on task %s config %s after %d attempts", config.taskId(), config.id(),
                maxAttempts);
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
