package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.StreamResponse;
import com.google.lf.a2a.v1.SubscribeToTaskRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AGrpc;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * A real slow client: a loopback socket with a small receive buffer that reads the first event of its stream and
 * then nothing while the task produces about 12 MB of updates. The gateway must not buffer them all for it: once
 * more than the stream's backlog limit (1 MiB in the test profile) waits, the stream ends with a retryable
 * JSON-RPC error event, which the client reads when it reads again. The same over gRPC with a client that requests
 * one message and then none (HTTP/2 flow control): the call ends with UNAVAILABLE.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class SlowStreamClientTest {
    private static final Pattern EVENT = Pattern.compile("data: (\\{.*\\})\\n\\n");
    private static final int UPDATES = 40;

    @TestHTTPResource("/a2a")
    URI endpoint;

    @Test
    void aClientThatStopsReadingIsDroppedWithAnErrorEventInsteadOfBufferedWithoutBound() throws Exception {
        ScriptedWorker worker = ScriptedWorker.shared();
        A2AHttp a2a = new A2AHttp(endpoint);
        JsonNode task = workingTask(a2a);
        String id = task.get("id").asText();
        String ctx = task.get("contextId").asText();

        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096); // before connect: the window stays small
            s.connect(new InetSocketAddress("127.0.0.1", endpoint.getPort()));
            s.setSoTimeout(30_000);
            byte[] body = A2AHttp.rpc(7, "SubscribeToTask", "{\"id\":\"" + id + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /a2a HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + A2AHttp.ALICE
                    + "\r\nA2A-Version: 1.0\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            while (!seen.toString(StandardCharsets.UTF_8).contains("\"task\"")) {
                int b = in.read();
                assertTrue(b >= 0, "the stream's first event: " + seen);
                seen.write(b);
            }

            // the client stops reading; the task goes on producing large updates
            for (int i = 0; i < UPDATES; i++) {
                Artifact big = new Artifact("big", "big", null, List.of(Part.Text.of(("u" + i).repeat(150_000))),
                        null, null);
                worker.send(new TaskEvent.ArtifactAdded(id, ctx, "test-worker", big, false, false, null));
            }
            worker.status(id, ctx, TaskState.COMPLETED, "done");
            Await.until(() -> state(a2a, id), st -> st.equals("TASK_STATE_COMPLETED"), Duration.ofSeconds(60),
                    "every update folded (and written to the stream as far as it went)");

            // the client reads again: what the gateway kept for it, then the error event, then the end
            in.transferTo(seen);
            String text = seen.toString(StandardCharsets.UTF_8);
            List<JsonNode> events = new ArrayList<>();
            Matcher m = EVENT.matcher(text);
            while (m.find()) {
                events.add(A2AHttp.JSON.readTree(m.group(1)));
            }
            long updates = events.stream().filter(e -> e.at("/result/artifactUpdate").isObject()).count();
            assertTrue(updates < UPDATES, "the slow client was dropped before all " + UPDATES + " updates ("
                    + updates + " arrived)");
            JsonNode last = events.get(events.size() - 1);
            assertEquals(7, last.path("id").asInt(), last::toString);
            assertEquals(-31004, last.at("/error/code").asInt(), "a retryable UNAVAILABLE: " + last);
            assertEquals("slow_consumer", last.at("/error/data/streamEnded").asText());
            assertEquals(id, last.at("/error/data/taskId").asText());
            assertEquals(1, last.at("/error/data/retryAfterSeconds").asInt());
            assertFalse(events.stream().anyMatch(e -> e.at("/result/statusUpdate/status/state").asText()
                    .equals("TASK_STATE_COMPLETED")), "nothing after the drop");
        }
    }

    @Test
    void aGrpcClientThatStopsRequestingIsDroppedWithUnavailable() throws Exception {
        ScriptedWorker worker = ScriptedWorker.shared();
        A2AHttp a2a = new A2AHttp(endpoint);
        JsonNode task = workingTask(a2a);
        String id = task.get("id").asText();
        String ctx = task.get("contextId").asText();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", A2AGrpc.port()).usePlaintext()
                .build();
        try {
            Metadata md = A2AGrpc.headers("authorization", "Bearer " + A2AHttp.ALICE);
            BlockingQueue<Object> got = new LinkedBlockingQueue<>();
            AtomicReference<ClientCallStreamObserver<SubscribeToTaskRequest>> call = new AtomicReference<>();
            A2AServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .subscribeToTask(SubscribeToTaskRequest.newBuilder().setId(id).build(),
                            new ClientResponseObserver<SubscribeToTaskRequest, StreamResponse>() {
                                @Override
                                public void beforeStart(ClientCallStreamObserver<SubscribeToTaskRequest> r) {
                                    call.set(r);
                                    r.disableAutoRequestWithInitial(1); // reads one item, then nothing
                                }

                                @Override
                                public void onNext(StreamResponse v) {
                                    got.add(v);
                                }

                                @Override
                                public void onError(Throwable t) {
                                    got.add(t);
                                }

                                @Override
                                public void onCompleted() {
                                    got.add("completed");
                                }
                            });
            Object first = got.poll(20, TimeUnit.SECONDS);
            assertTrue(first instanceof StreamResponse r && r.hasTask(), "the first item: " + first);
            for (int i = 0; i < UPDATES; i++) {
                Artifact big = new Artifact("big", "big", null, List.of(Part.Text.of(("g" + i).repeat(150_000))),
                        null, null);
                worker.send(new TaskEvent.ArtifactAdded(id, ctx, "test-worker", big, false, false, null));
            }
            worker.status(id, ctx, TaskState.COMPLETED, "done");
            Await.until(() -> state(a2a, id), st -> st.equals("TASK_STATE_COMPLETED"), Duration.ofSeconds(60),
                    "every update folded");
            call.get().request(Integer.MAX_VALUE); // reads again
            int updates = 0;
            Object last;
            while (true) {
                last = got.poll(30, TimeUnit.SECONDS);
                assertTrue(last != null, "the stream ends");
                if (last instanceof StreamResponse r) {
                    assertFalse(r.hasStatusUpdate() && r.getStatusUpdate().getStatus().getState()
                            == com.google.lf.a2a.v1.TaskState.TASK_STATE_COMPLETED, "nothing after the drop");
                    updates++;
                    continue;
                }
                break;
            }
            assertTrue(updates < UPDATES, "dropped before all " + UPDATES + " updates (" + updates + " arrived)");
            StatusRuntimeException error = assertInstanceOf(StatusRuntimeException.class, last, String.valueOf(last));
            assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
            ErrorInfo info = StatusProto.fromThrowable(error).getDetails(0).unpack(ErrorInfo.class);
            assertEquals("slow_consumer", info.getMetadataMap().get("streamEnded"));
            assertEquals(id, info.getMetadataMap().get("taskId"));
        } finally {
            channel.shutdownNow();
        }
    }

    /** A task of alice's that the scripted worker keeps working ("hang"), once it is WORKING. */
    private static JsonNode workingTask(A2AHttp a2a) {
        JsonNode task = a2a.post(A2AHttp.rpc(1, "SendMessage", "{\"message\":" + A2AHttp.userMessage("hang", null)
                + ",\"configuration\":{\"returnImmediately\":true}}"), A2AHttp.ALICE, "1.0").json()
                .at("/result/task");
        String id = task.get("id").asText();
        Await.until(() -> state(a2a, id), s -> s.equals("TASK_STATE_WORKING"), Duration.ofSeconds(20), "working");
        return task;
    }

    private static String state(A2AHttp a2a, String id) {
        return a2a.post(A2AHttp.rpc(2, "GetTask", "{\"id\":\"" + id + "\"}"), A2AHttp.ALICE, "1.0").json()
                .at("/result/status/state").asText();
    }
}
