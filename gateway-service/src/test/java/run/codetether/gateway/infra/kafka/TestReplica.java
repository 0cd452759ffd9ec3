package run.codetether.gateway.infra.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.InFlightTasks;
import run.codetether.gateway.domain.StoredTask;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;

/**
 * A gateway replica's task state as GatewayBeans builds it, against a real broker: its on-disk store, the view over
 * it (a cache of 5 finished tasks, admission's in-flight counts), the task log and the task event reader, started
 * (caught up) by the constructor. Shared by the tests that start, restart and compare replicas.
 */
final class TestReplica implements AutoCloseable {
    final InFlightTasks inFlight = InFlightTasks.unlimited();
    final MvTaskStore store;
    final TaskView view;
    final KafkaTaskLog log;
    final KafkaTaskStateSync sync;

    TestReplica(String bootstrap, String instanceId, Path storeDir) {
        store = MvTaskStore.open(storeDir, 1);
        view = new TaskView(store, new TaskCache(5, 1 << 20), e -> { }, inFlight::observe);
        log = new KafkaTaskLog(bootstrap, instanceId);
        sync = new KafkaTaskStateSync(bootstrap, instanceId, view, log.stateWriter(), (e, t) -> { });
        sync.start(Duration.ofSeconds(60));
    }

    /** The task's state as this replica folded it, or null when it does not know the task. */
    TaskState state(String taskId) {
        return view.get(taskId).map(t -> t.status().state()).orElse(null);
    }

    /** The text of the task's status message, if it has one. */
    Optional<String> statusText(String taskId) {
        return view.get(taskId).map(t -> t.status().message()).map(Message::text);
    }

    /** Every {@code tasks.state} record of the task on the topic, oldest first (read by a group-less reader). */
    static List<Task> stateRecords(String bootstrap, String clientId, String taskId) {
        List<Task> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = KafkaClients.forBootstrap(bootstrap).consumer(clientId,
                Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer())) {
            CatchUp.readAll(c, Topics.TASKS_STATE, Duration.ofSeconds(30), r -> {
                if (taskId.equals(r.key()) && r.value() != null) {
                    out.add(StoredTask.decode(r.value())); // as the gateway reads it
                }
            });
        }
        return out;
    }

    @Override
    public void close() {
        sync.close();
        log.close();
        store.close();
    }
}
