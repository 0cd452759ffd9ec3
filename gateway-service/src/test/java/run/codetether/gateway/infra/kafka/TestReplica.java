package run.codetether.gateway.infra.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.gateway.domain.InFlightTasks;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.MvTaskStore;

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

    @Override
    public void close() {
        sync.close();
        log.close();
        store.close();
    }
}
