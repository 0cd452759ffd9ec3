package run.codetether.gateway.api.a2a.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.Message;
import com.google.lf.a2a.v1.Part;
import com.google.lf.a2a.v1.Role;
import com.google.lf.a2a.v1.SendMessageConfiguration;
import com.google.lf.a2a.v1.SendMessageRequest;
import com.google.lf.a2a.v1.Task;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.contracts.tools.v1.StageArchiveRequest;
import run.codetether.contracts.tools.v1.StageArchiveResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AGrpc;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * A workspace archive over the gRPC binding (issue 14): a SendMessage larger than {@code max-body-bytes} (1 MiB)
 * carrying a 1.5 MiB .tar.gz passes the transport (a send's limit is max-body-bytes plus the archive cap) and is
 * staged at tools-service byte for byte; the task names the staged archive. tools-service's StageArchive is a
 * loopback gRPC server of the real tools.proto service (the gateway module cannot run tools-service itself; the
 * e2e tests do). A GetTask of the same size is still refused: only sends get the room.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GrpcArchiveTest.LoopbackTools.class, restrictToAnnotatedClass = true)
@QuarkusTest
class GrpcArchiveTest {
    static final int CAP = 3 << 20;

    /** tools-service's StageArchive on loopback, recording what it was given. */
    public static final class LoopbackTools implements QuarkusTestResourceLifecycleManager {
        static final List<StageArchiveRequest> STAGED = new CopyOnWriteArrayList<>();
        private Server server;

        @Override
        public Map<String, String> start() {
            try {
                server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .maxInboundMessageSize(CAP * 2).addService(new ToolServiceGrpc.ToolServiceImplBase() {
                            @Override
                            public void stageArchive(StageArchiveRequest r, StreamObserver<StageArchiveResponse> out) {
                                STAGED.add(r);
                                byte[] data = r.getData().toByteArray();
                                out.onNext(StageArchiveResponse.newBuilder().setStagedId(sha256(data))
                                        .setSizeBytes(r.getData().size()).setMediaType("application/gzip").build());
                                out.onCompleted();
                            }
                        }).build().start();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("codetether.gateway.tools.host", "127.0.0.1",
                    "codetether.gateway.tools.port", String.valueOf(server.getPort()),
                    "codetether.gateway.workspace.max-archive-bytes", String.valueOf(CAP));
        }

        @Override
        public void stop() {
            if (server != null) {
                server.shutdownNow();
            }
        }
    }

    @BeforeAll
    static void connect() {
        ScriptedWorker.shared();
    }

    /** Alice by her x-api-key header (the other header a gRPC client may use). */
    private static A2AServiceGrpc.A2AServiceBlockingStub stub() {
        return A2AGrpc.blocking(A2AGrpc.channel(), "x-api-key", A2AHttp.ALICE);
    }

    @Test
    void aSendWithAnArchiveOverOneMebibyteIsStagedAndOtherCallsKeepTheSmallLimit() throws Exception {
        byte[] archive = new byte[3 << 19]; // 1.5 MiB
        new Random(14).nextBytes(archive);
        archive[0] = 0x1f; // gzip's magic: tools-service checks the content, the gateway the media type and size
        archive[1] = (byte) 0x8b;
        String context = "ctx-" + UUID.randomUUID();
        Message message = Message.newBuilder().setMessageId(UUID.randomUUID().toString()).setRole(Role.ROLE_USER)
                .setContextId(context).addParts(Part.newBuilder().setText("echo the archive"))
                .addParts(Part.newBuilder().setRaw(ByteString.copyFrom(archive)).setMediaType("application/gzip")
                        .setFilename("repo.tgz"))
                .build();
        int before = LoopbackTools.STAGED.size();

        Task task = stub().sendMessage(SendMessageRequest.newBuilder().setMessage(message)
                .setConfiguration(SendMessageConfiguration.newBuilder().setReturnImmediately(true)).build()).getTask();

        assertEquals(before + 1, LoopbackTools.STAGED.size(), "staged once");
        StageArchiveRequest staged = LoopbackTools.STAGED.get(before);
        assertEquals(context, staged.getSessionId());
        assertArrayEquals(archive, staged.getData().toByteArray(), "the archive arrives byte for byte");
        Task logged = stub().getTask(GetTaskRequest.newBuilder().setId(task.getId()).build());
        Part part = logged.getHistory(0).getParts(1);
        assertEquals(WorkspaceExtension.STAGED_ARCHIVE_URI_PREFIX + sha256(archive), part.getUrl(),
                "the task names the staged archive, not its bytes: " + part.getContentCase());

        // the same size in any other call is over max-request-bytes
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub().getTask(GetTaskRequest
                .newBuilder().setId(task.getId()).setTenant("x".repeat(archive.length)).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("limit of 65536 bytes"), e.getStatus().toString());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
