package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static run.codetether.gateway.support.A2AHttp.userMessage;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * Any replica answers any task. Two Quarkus applications cannot run in one test JVM, so the second (and third)
 * replica is the same domain and Kafka code the application wires (TaskEngine + KafkaTaskLog + KafkaTaskStateSync
 * with its own instance id), started beside the Quarkus replica over the same broker and topics.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class TwoReplicasTest {
    @TestHTTPResource("/a2a")
    URI endpoint;

    A2AHttp replicaA;
    Replica replicaB;

    /** A gateway replica without HTTP: what GatewayBeans builds. */
    static final class Replica implements AutoCloseable {
        final TaskView view = new TaskView();
        final KafkaTaskLog log;
        final KafkaTaskStateSync sync;
        final TaskEngine engine;

        Replica(String instanceId) {
            String bootstrap = SharedKafkaBroker.bootstrapServers();
            log = new KafkaTaskLog(bootstrap, instanceId);
            sync = new KafkaTaskStateSync(bootstrap, instanceId, view, log.stateWriter(), (e, t) -> { });
            sync.start(Duration.ofSeconds(60));
            engine = new TaskEngine(log, view, instanceId);
        }

        Task await(String taskId, TaskState state) {
            return Await.until(() -> view.get(taskId).orElse(null),
                    t -> t != null && t.status().state() == state, Duration.ofSeconds(20), taskId + " " + state);
        }

        @Override
        public void close() {
            sync.close();
            log.close();
        }
    }

    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
        replicaA = new A2AHttp(endpoint);
        replicaB = new Replica("replica-b-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() {
        replicaB.close();
    }

    static SendRequest send(String text) {
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of(text)), null, null, null,
                null, null);
        return new SendRequest(m, null, null, true, null, null, Map.of());
    }

    @Test
    void sentOnOneReplicaReadOnTheOther() {
        JsonNode viaA = replicaA.call("SendMessage", "{\"message\":" + userMessage("echo replicated", null) + "}");
        String id = viaA.at("/result/task/id").asText();
        Task onB = replicaB.await(id, TaskState.COMPLETED);
        assertEquals("echo: echo replicated", ((Part.Text) onB.artifacts().get(0).parts().get(0)).text());

        Caller alice = new Caller("alice");
        Task sentOnB = replicaB.engine.send(send("echo from b"), alice, null).join().task();
        JsonNode onA = Await.until(() -> replicaA.call("GetTask", "{\"id\":\"" + sentOnB.id() + "\"}"),
                r -> r.at("/result/status/state").asText().equals("TASK_STATE_COMPLETED"), Duration.ofSeconds(20),
                "task sent on B completed on A");
        assertNull(onA.get("error"));
        assertEquals("echo: echo from b", onA.at("/result/artifacts/0/parts/0/text").asText());
    }

    @Test
    void aRestartedOrNewReplicaRebuildsStateFromKafka() {
        Caller alice = new Caller("alice");
        Task done = replicaB.engine.sendAndWait(send("chunks 3"), alice, Duration.ofSeconds(20)).join();
        assertEquals(TaskState.COMPLETED, done.status().state());
        Task folded = replicaB.await(done.id(), TaskState.COMPLETED);
        try (Replica fresh = new Replica("replica-c-" + UUID.randomUUID())) {
            Task rebuilt = fresh.view.get(done.id()).orElseThrow();
            assertEquals(folded, rebuilt, "a new replica rebuilds the identical task from tasks.state");
        }
        String sameId = "replica-d-" + UUID.randomUUID();
        new Replica(sameId).close();
        try (Replica restarted = new Replica(sameId)) {
            assertEquals(folded, restarted.view.get(done.id()).orElseThrow(), "a restart loses nothing");
        }
    }

    @Test
    void aSubscriberOnAnotherReplicaFollowsAcrossARestart() {
        Caller alice = new Caller("alice");
        Task hanging = replicaB.engine.send(send("hang"), alice, null).join().task();
        replicaB.await(hanging.id(), TaskState.WORKING);
        List<TaskState> seen = new CopyOnWriteArrayList<>();
        try (Replica watcher = new Replica("replica-e-" + UUID.randomUUID())) {
            TaskView.Versioned snap = watcher.engine.subscribeVersioned(hanging.id(), alice, null,
                    (e, after, offset) -> seen.add(after.status().state()));
            assertEquals(TaskState.WORKING, snap.task().status().state());
            replicaB.close(); // the replica that accepted the task goes away mid-run
            ScriptedWorker.shared().status(hanging.id(), hanging.contextId(), TaskState.COMPLETED, "done anyway");
            Await.until(() -> seen, s -> s.contains(TaskState.COMPLETED), Duration.ofSeconds(20), "completion");
        }
        replicaB = new Replica("replica-b-" + UUID.randomUUID());
        assertEquals(TaskState.COMPLETED, replicaB.view.get(hanging.id()).orElseThrow().status().state());
    }
}
