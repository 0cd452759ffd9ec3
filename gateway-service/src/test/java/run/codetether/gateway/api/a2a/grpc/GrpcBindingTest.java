package run.codetether.gateway.api.a2a.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.AgentCard;
import com.google.lf.a2a.v1.GetExtendedAgentCardRequest;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.ListTasksRequest;
import com.google.lf.a2a.v1.Message;
import com.google.lf.a2a.v1.Part;
import com.google.lf.a2a.v1.Role;
import com.google.lf.a2a.v1.SendMessageConfiguration;
import com.google.lf.a2a.v1.SendMessageRequest;
import com.google.lf.a2a.v1.Task;
import com.google.lf.a2a.v1.TaskState;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AGrpc;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * What only the gRPC binding has (generated grpc-java stubs over a real HTTP/2 channel to the gateway's gRPC server):
 * requests only protobuf can express, the a2a-version metadata, protobuf's own limits, the card's GRPC interface.
 * Every operation itself runs in the conformance suite ({@code conformance.*ConformanceTest}) on every binding.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class GrpcBindingTest {
    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
    }

    static A2AServiceGrpc.A2AServiceBlockingStub blocking(String key) {
        return A2AGrpc.bearer(key);
    }

    static A2AServiceGrpc.A2AServiceBlockingStub alice() {
        return blocking(A2AHttp.ALICE);
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
                MetadataUtils.newAttachHeadersInterceptor(A2AGrpc.headers("a2a-version", "0.3")));
        fails(Status.Code.UNIMPLEMENTED, "VERSION_NOT_SUPPORTED",
                () -> v03.getTask(GetTaskRequest.newBuilder().setId(alices.getId()).build()));
    }

    @Test
    void thePublicCardAdvertisesTheGrpcInterface() {
        io.restassured.RestAssured.given().get("/.well-known/agent-card.json").then().statusCode(200)
                .body("supportedInterfaces.find { it.protocolBinding == 'GRPC' }.protocolVersion",
                        org.hamcrest.Matchers.equalTo("1.0"))
                .body("supportedInterfaces.find { it.protocolBinding == 'GRPC' }.url",
                        org.hamcrest.Matchers.startsWith("http://"))
                // gRPC has a server of its own (docs/operations.md "GOAWAY"): the card names its port, not HTTP's
                .body("supportedInterfaces.find { it.protocolBinding == 'GRPC' }.url",
                        org.hamcrest.Matchers.endsWith(":" + A2AGrpc.port()));
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

}
