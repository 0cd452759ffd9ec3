package run.codetether.gateway.api.a2a.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.a2a.A2A;
import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.spi.interceptors.ClientCallContext;
import io.a2a.spec.A2AClientException;
import io.a2a.spec.AgentCard;
import io.a2a.spec.EventKind;
import io.a2a.spec.MessageSendConfiguration;
import io.a2a.spec.MessageSendParams;
import io.a2a.spec.StreamingEventKind;
import io.a2a.spec.Task;
import io.a2a.spec.TaskIdParams;
import io.a2a.spec.TaskQueryParams;
import io.a2a.spec.TaskState;
import io.a2a.spec.TaskStatusUpdateEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/** The official A2A Java SDK client (io.github.a2asdk 1.0.0.Alpha3, JSON-RPC transport) against the gateway. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class JavaSdkClientTest {
    @TestHTTPResource("/a2a")
    URI endpoint;

    @TestHTTPResource("/")
    URI root;

    JSONRPCTransport transport;
    ClientCallContext auth = new ClientCallContext(Map.of(), Map.of("Authorization", "Bearer " + A2AHttp.ALICE));

    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
        transport = new JSONRPCTransport(endpoint.toString());
    }

    @Test
    void fetchesAndParsesTheAgentCard() throws Exception {
        String base = root.toString().replaceAll("/$", "");
        AgentCard card = A2A.getAgentCard(base);
        assertEquals("CodeTether", card.name());
        assertTrue(card.capabilities().streaming());
        assertEquals(4, card.skills().size());
    }

    @Test
    void sendGetListCancel() throws Exception {
        EventKind result = transport.sendMessage(new MessageSendParams(A2A.toUserMessage("echo from the sdk"),
                null, null), auth);
        Task task = assertInstanceOf(Task.class, result);
        assertEquals(TaskState.TASK_STATE_COMPLETED, task.status().state());
        Task fetched = transport.getTask(new TaskQueryParams(task.id()), auth);
        assertEquals(task.id(), fetched.id());
        assertEquals(1, fetched.artifacts().size());
        assertTrue(transport.listTasks(new io.a2a.spec.ListTasksParams(), auth).tasks().stream()
                .anyMatch(t -> t.id().equals(task.id())));

        EventKind hanging = transport.sendMessage(new MessageSendParams(A2A.toUserMessage("hang"),
                new MessageSendConfiguration(List.of("text/plain"), null, null, false), null), auth);
        Task h = assertInstanceOf(Task.class, hanging);
        Task canceled = transport.cancelTask(new TaskIdParams(h.id()), auth);
        assertEquals(TaskState.TASK_STATE_CANCELED, canceled.status().state());
        A2AClientException e = assertThrows(A2AClientException.class,
                () -> transport.getTask(new TaskQueryParams("no-such-task"), auth));
        assertTrue(e.getMessage() != null);
    }

    @Test
    void streamsInOrder() throws Exception {
        List<StreamingEventKind> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        transport.sendMessageStreaming(new MessageSendParams(A2A.toUserMessage("chunks 3"), null, null), ev -> {
            events.add(ev);
            if (ev instanceof TaskStatusUpdateEvent s && s.status().state() == TaskState.TASK_STATE_COMPLETED) {
                done.complete(null);
            }
        }, done::completeExceptionally, auth);
        done.get(30, TimeUnit.SECONDS);
        assertInstanceOf(Task.class, events.get(0));
        assertEquals(6, events.size(), () -> events.toString());
    }
}
