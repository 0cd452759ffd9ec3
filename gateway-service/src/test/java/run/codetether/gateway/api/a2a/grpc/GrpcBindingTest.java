package run.codetether.gateway.api.a2a.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.AgentCard;
import com.google.lf.a2a.v1.AuthenticationInfo;
import com.google.lf.a2a.v1.CancelTaskRequest;
import com.google.lf.a2a.v1.DeleteTaskPushNotificationConfigRequest;
import com.google.lf.a2a.v1.GetExtendedAgentCardRequest;
import com.google.lf.a2a.v1.GetTaskPushNotificationConfigRequest;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.ListTaskPushNotificationConfigsRequest;
import com.google.lf.a2a.v1.ListTaskPushNotificationConfigsResponse;
import com.google.lf.a2a.v1.ListTasksRequest;
import com.google.lf.a2a.v1.ListTasksResponse;
import com.google.lf.a2a.v1.Message;
import com.google.lf.a2a.v1.Part;
import com.google.lf.a2a.v1.Role;
import com.google.lf.a2a.v1.SendMessageConfiguration;
import com.google.lf.a2a.v1.SendMessageRequest;
import com.google.lf.a2a.v1.SendMessageResponse;
import com.google.lf.a2a.v1.StreamResponse;
import com.google.lf.a2a.v1.SubscribeToTaskRequest;
import com.google.lf.a2a.v1.Task;
import com.google.lf.a2a.v1.TaskPushNotificationConfig;
import com.google.lf.a2a.v1.TaskState;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * The A2A 1.0 gRPC binding with generated grpc-java stubs over a real HTTP/2 channel to the gateway's HTTP port,
 * the real Kafka broker, and the scripted worker.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class GrpcBindingTest {
    private static ManagedChannel channel;

    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
        if (channel == null) {
            int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }
    }

    @AfterAll
    static void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            channel = null;
        }
    }

    static Metadata headers(String name, String value) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return md;
    }

    static A2AServiceGrpc.A2AServiceBlockingStub blocking(String key) {
        return A2AServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("authorization", "Bearer " + key)));
    }

    static A2AServiceGrpc.A2AServiceBlockingStub alice() {
        return blocking(A2AHttp.ALICE);
    }

    static A2AServiceGrpc.A2AServiceStub aliceAsync() {
        return A2AServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("x-api-key", A2AHttp.ALICE)));
    }

    static Message userText(String text) {
        return Message.newBuilder().setMessageId(UUID.randomUUID().toString()).setRole(Role.ROLE_USER)
                .addParts(Part.newBuilder().setText(text)).build();
    }

    static SendMessageRequest send(String text, boolean returnImmediately) {
        return SendMessageRequest.newBuilder().setMessage(userText(text))
                .setConfiguration(SendMessageConfiguration.newBuilder().setReturnImmediately(returnImmediately))
                .build();
    }

    /** Asserts the call fails with the status code and the spec's ErrorInfo reason; returns the ErrorInfo. */
    static ErrorInfo fails(Status.Code code, String reason, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertNotNull(status, "status details travel in grpc-status-details-bin");
        ErrorInfo info;
        try {
            info = status.getDetails(0).unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
        assertEquals(reason, info.getReason());
        assertEquals("a2a-protocol.org", info.getDomain());
        assertTrue(info.containsMetadata("timestamp"));
        return info;
    }

    @Test
    void blockingSendCompletesWithTheWorkersArtifact() {
        SendMessageResponse r = alice().sendMessage(SendMessageRequest.newBuilder().setMessage(userText("echo grpc"))
                .setMetadata(Struct.newBuilder().putFields("origin", Value.newBuilder().setStringValue("test").build()))
                .build());
        Task task = r.getTask();
        assertEquals(TaskState.TASK_STATE_COMPLETED, task.getStatus().getState());
        assertEquals("echo: echo grpc", task.getArtifacts(0).getParts(0).getText());
        assertEquals("echo grpc", task.getHistory(0).getParts(0).getText());
        assertEquals(Role.ROLE_USER, task.getHistory(0).getRole());
        assertTrue(task.getStatus().hasTimestamp());
    }

    @Test
    void streamingSendRelaysEveryEventInOrderAndEnds() {
        Iterator<StreamResponse> it = alice().sendStreamingMessage(send("chunks 2", false));
        List<StreamResponse> items = new ArrayList<>();
        it.forEachRemaining(items::add);
        assertEquals(5, items.size(), items.toString());
        assertEquals(StreamResponse.PayloadCase.TASK, items.get(0).getPayloadCase());
        String id = items.get(0).getTask().getId();
        assertEquals(TaskState.TASK_STATE_SUBMITTED, items.get(0).getTask().getStatus().getState());
        assertEquals(TaskState.TASK_STATE_WORKING, items.get(1).getStatusUpdate().getStatus().getState());
        assertEquals("chunk0", items.get(2).getArtifactUpdate().getArtifact().getParts(0).getText());
        assertEquals(false, items.get(2).getArtifactUpdate().getAppend());
        assertEquals("chunk1", items.get(3).getArtifactUpdate().getArtifact().getParts(0).getText());
        assertEquals(true, items.get(3).getArtifactUpdate().getAppend());
        assertEquals(true, items.get(3).getArtifactUpdate().getLastChunk());
        assertEquals(TaskState.TASK_STATE_COMPLETED, items.get(4).getStatusUpdate().getStatus().getState());
        for (StreamResponse item : items.subList(1, 5)) {
            String taskId = item.hasStatusUpdate() ? item.getStatusUpdate().getTaskId()
                    : item.getArtifactUpdate().getTaskId();
            assertEquals(id, taskId);
        }
        Task folded = alice().getTask(GetTaskRequest.newBuilder().setId(id).build());
        assertEquals(2, folded.getArtifacts(0).getPartsCount(), "appended chunks fold into one artifact");
    }

    @Test
    void getListAndCancel() {
        Task done = alice().sendMessage(send("echo listed", false)).getTask();
        Task got = alice().getTask(GetTaskRequest.newBuilder().setId(done.getId()).setHistoryLength(0).build());
        assertEquals(done.getId(), got.getId());
        assertEquals(0, got.getHistoryCount());
        ListTasksResponse page = alice().listTasks(ListTasksRequest.newBuilder().setContextId(done.getContextId())
                .setStatus(TaskState.TASK_STATE_COMPLETED).setIncludeArtifacts(true).build());
        assertEquals(1, page.getTasksCount());
        assertEquals(done.getId(), page.getTasks(0).getId());
        assertEquals(1, page.getTotalSize());
        assertEquals("", page.getNextPageToken());
        assertEquals(1, page.getTasks(0).getArtifactsCount());

        fails(Status.Code.NOT_FOUND, "TASK_NOT_FOUND", () -> alice().getTask(
                GetTaskRequest.newBuilder().setId(done.getId()).setTenant("another-tenant").build()));

        ErrorInfo info = fails(Status.Code.FAILED_PRECONDITION, "TASK_NOT_CANCELABLE",
                () -> alice().cancelTask(CancelTaskRequest.newBuilder().setId(done.getId()).build()));
        assertEquals(done.getId(), info.getMetadataOrThrow("taskId"));

        Task hanging = alice().sendMessage(send("hang", true)).getTask();
        Task canceled = alice().cancelTask(CancelTaskRequest.newBuilder().setId(hanging.getId()).build());
        assertEquals(TaskState.TASK_STATE_CANCELED, canceled.getStatus().getState());
        assertEquals(TaskState.TASK_STATE_CANCELED,
                alice().getTask(GetTaskRequest.newBuilder().setId(hanging.getId()).build()).getStatus().getState());
    }

    @Test
    void followUpMessageResumesAnInterruptedTask() {
        Task asked = alice().sendMessage(send("ask me", false)).getTask();
        assertEquals(TaskState.TASK_STATE_INPUT_REQUIRED, asked.getStatus().getState());
        Message reply = userText("main").toBuilder().setTaskId(asked.getId()).build();
        Task done = alice().sendMessage(SendMessageRequest.newBuilder().setMessage(reply).build()).getTask();
        assertEquals(TaskState.TASK_STATE_COMPLETED, done.getStatus().getState());
        assertEquals("got: main", done.getArtifacts(done.getArtifactsCount() - 1).getParts(0).getText());
        fails(Status.Code.UNIMPLEMENTED, "UNSUPPORTED_OPERATION", () -> alice().sendMessage(
                SendMessageRequest.newBuilder().setMessage(userText("again").toBuilder().setTaskId(done.getId()))
                        .build()));
    }

    @Test
    void subscribeStreamsALiveTaskToItsEnd() throws Exception {
        Task hanging = alice().sendMessage(send("hang", true)).getTask();
        List<StreamResponse> items = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        aliceAsync().subscribeToTask(SubscribeToTaskRequest.newBuilder().setId(hanging.getId()).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(StreamResponse value) {
                        items.add(value);
                        first.complete(null);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(null);
                    }
                });
        first.get(30, TimeUnit.SECONDS);
        assertEquals(hanging.getId(), items.get(0).getTask().getId(), "a subscription starts with the task");
        alice().cancelTask(CancelTaskRequest.newBuilder().setId(hanging.getId()).build());
        ended.get(30, TimeUnit.SECONDS);
        StreamResponse last = items.get(items.size() - 1);
        assertEquals(TaskState.TASK_STATE_CANCELED, last.getStatusUpdate().getStatus().getState());

        fails(Status.Code.UNIMPLEMENTED, "UNSUPPORTED_OPERATION", () -> alice()
                .subscribeToTask(SubscribeToTaskRequest.newBuilder().setId(hanging.getId()).build()).hasNext());
        fails(Status.Code.NOT_FOUND, "TASK_NOT_FOUND", () -> alice()
                .subscribeToTask(SubscribeToTaskRequest.newBuilder().setId("no-such-task").build()).hasNext());
    }

    @Test
    void pushNotificationConfigCrud() {
        Task task = alice().sendMessage(send("echo push", false)).getTask();
        TaskPushNotificationConfig created = alice().createTaskPushNotificationConfig(TaskPushNotificationConfig
                .newBuilder().setTaskId(task.getId()).setUrl("http://127.0.0.1:9/hook").setToken("t-1")
                .setAuthentication(AuthenticationInfo.newBuilder().setScheme("Bearer").setCredentials("secret"))
                .build());
        assertTrue(!created.getId().isEmpty(), "the gateway assigns an id");
        assertEquals(task.getId(), created.getTaskId());
        assertEquals("", created.getAuthentication().getCredentials(), "credentials are write-only");
        TaskPushNotificationConfig got = alice().getTaskPushNotificationConfig(GetTaskPushNotificationConfigRequest
                .newBuilder().setTaskId(task.getId()).setId(created.getId()).build());
        assertEquals("http://127.0.0.1:9/hook", got.getUrl());
        assertEquals("Bearer", got.getAuthentication().getScheme());
        ListTaskPushNotificationConfigsResponse list = alice().listTaskPushNotificationConfigs(
                ListTaskPushNotificationConfigsRequest.newBuilder().setTaskId(task.getId()).build());
        assertEquals(1, list.getConfigsCount());
        alice().deleteTaskPushNotificationConfig(DeleteTaskPushNotificationConfigRequest.newBuilder()
                .setTaskId(task.getId()).setId(created.getId()).build());
        fails(Status.Code.NOT_FOUND, "TASK_NOT_FOUND", () -> alice().getTaskPushNotificationConfig(
                GetTaskPushNotificationConfigRequest.newBuilder().setTaskId(task.getId()).setId(created.getId())
                        .build()));
        fails(Status.Code.INVALID_ARGUMENT, "INVALID_PARAMS", () -> alice().createTaskPushNotificationConfig(
                TaskPushNotificationConfig.newBuilder().setTaskId(task.getId()).build()));
    }

    @Test
    void extendedCardIsTheAuthenticatedCard() {
        AgentCard card = alice().getExtendedAgentCard(GetExtendedAgentCardRequest.getDefaultInstance());
        assertEquals("CodeTether", card.getName());
        assertTrue(card.getSupportedInterfacesList().stream()
                .anyMatch(i -> i.getProtocolBinding().equals("GRPC") && i.getProtocolVersion().equals("1.0")));
        assertTrue(card.getSkills(0).getInputModesCount() > 0, "the extended card lists each skill's modes");
    }

    @Test
    void errorsMapToTheSpecStatusCodes() {
        ErrorInfo notFound = fails(Status.Code.NOT_FOUND, "TASK_NOT_FOUND",
                () -> alice().getTask(GetTaskRequest.newBuilder().setId("missing-1").build()));
        assertEquals("missing-1", notFound.getMetadataOrThrow("taskId"));
        fails(Status.Code.INVALID_ARGUMENT, "INVALID_PARAMS",
                () -> alice().getTask(GetTaskRequest.getDefaultInstance()));
        fails(Status.Code.INVALID_ARGUMENT, "INVALID_PARAMS", () -> alice().sendMessage(SendMessageRequest
                .newBuilder().setMessage(userText("x").toBuilder().clearParts()).build()));
        fails(Status.Code.INVALID_ARGUMENT, "INVALID_PARAMS", () -> alice().sendMessage(SendMessageRequest
                .newBuilder().setMessage(userText("x").toBuilder().setRole(Role.ROLE_AGENT)).build()));
        fails(Status.Code.INVALID_ARGUMENT, "CONTENT_TYPE_NOT_SUPPORTED", () -> alice().sendMessage(
                send("x", false).toBuilder().setConfiguration(SendMessageConfiguration.newBuilder()
                        .addAcceptedOutputModes("audio/wav")).build()));
        fails(Status.Code.INVALID_ARGUMENT, "INVALID_PARAMS", () -> alice().listTasks(
                ListTasksRequest.newBuilder().setPageSize(-1).build()));
        Task alices = alice().sendMessage(send("echo mine", false)).getTask();
        fails(Status.Code.NOT_FOUND, "TASK_NOT_FOUND",
                () -> blocking(A2AHttp.BOB).getTask(GetTaskRequest.newBuilder().setId(alices.getId()).build()));
        A2AServiceGrpc.A2AServiceBlockingStub v03 = alice().withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(headers("a2a-version", "0.3")));
        fails(Status.Code.UNIMPLEMENTED, "VERSION_NOT_SUPPORTED",
                () -> v03.getTask(GetTaskRequest.newBuilder().setId(alices.getId()).build()));
    }

    @Test
    void aClientLeavingAStreamLeavesTheTaskRunning() throws Exception {
        io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
        Task task;
        try {
            task = ctx.call(() -> {
                Iterator<StreamResponse> it = alice().sendStreamingMessage(send("hang", false));
                return it.next().getTask();
            });
        } finally {
            ctx.cancel(null); // the client goes away mid-stream
        }
        assertEquals(TaskState.TASK_STATE_SUBMITTED, task.getStatus().getState());
        String id = task.getId();
        Task later = alice().getTask(GetTaskRequest.newBuilder().setId(id).build());
        assertTrue(!later.getStatus().getState().equals(TaskState.TASK_STATE_CANCELED),
                "leaving a stream never cancels the task");
        assertTrue(ScriptedWorker.shared().controls.stream().noneMatch(c -> c.taskId().equals(id)));
        alice().cancelTask(CancelTaskRequest.newBuilder().setId(id).build());
    }

    @Test
    void thePublicCardAdvertisesTheGrpcInterface() {
        io.restassured.RestAssured.given().get("/.well-known/agent-card.json").then().statusCode(200)
                .body("supportedInterfaces.find { it.protocolBinding == 'GRPC' }.protocolVersion",
                        org.hamcrest.Matchers.equalTo("1.0"))
                .body("supportedInterfaces.find { it.protocolBinding == 'GRPC' }.url",
                        org.hamcrest.Matchers.startsWith("http://"));
    }

    @Test
    void aRequestPastProtobufsRecursionLimitIsRefusedBeforeAnythingRuns() {
        // each Struct level is three protobuf levels (Value, Struct, map entry): protobuf's limit of 100 is met
        // long before the JSON codec's 64, so grpc-java refuses the bytes itself and the gateway never sees them
        Value deep = Value.newBuilder().setStringValue("leaf").build();
        for (int i = 0; i < 70; i++) {
            deep = Value.newBuilder().setStructValue(Struct.newBuilder().putFields("n", deep)).build();
        }
        Struct tooDeep = deep.getStructValue();
        String text = "echo deep " + UUID.randomUUID();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> alice().sendMessage(
                send(text, false).toBuilder().setMetadata(tooDeep).build()));
        assertTrue(e.getStatus().getCode() != Status.Code.OK);
        assertTrue(ScriptedWorker.shared().commands.stream().noneMatch(c -> c instanceof
                run.codetether.contracts.events.TaskCommand.StartTask s && text.equals(s.message().text())));
    }

    @Test
    void requestSizeLimitIsTheHttpBindingsLimit() {
        String big = "echo " + "x".repeat(400_000); // over the single-server default of 256 KiB
        assertEquals(TaskState.TASK_STATE_COMPLETED, alice().sendMessage(send(big, false)).getTask().getStatus()
                .getState());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> alice().sendMessage(send("x".repeat(1_100_000), false)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
    }

    @Test
    void unauthenticatedCallsAreRefusedBeforeAnythingRuns() {
        int before = ScriptedWorker.shared().commands.size();
        Supplier<A2AServiceGrpc.A2AServiceBlockingStub> anonymous =
                () -> A2AServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
                () -> anonymous.get().sendMessage(send("echo nobody", false)));
        fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", () -> blocking("not-a-key").getTask(
                GetTaskRequest.newBuilder().setId("x").build()));
        fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
                () -> anonymous.get().sendStreamingMessage(send("echo nobody", false)).hasNext());
        assertEquals(before, ScriptedWorker.shared().commands.size(), "nothing reached the worker");
    }
}
