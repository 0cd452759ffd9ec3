package run.codetether.bench.gatewaygrpc;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.Message;
import com.google.lf.a2a.v1.Part;
import com.google.lf.a2a.v1.Role;
import com.google.lf.a2a.v1.SendMessageConfiguration;
import com.google.lf.a2a.v1.SendMessageRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.ClosedLoop;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.Readiness;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * One gateway (its packaged jar over a real in-process KRaft broker), the same A2A 1.0 work over two bindings:
 * JSON-RPC (JDK HttpClient, HTTP/1.1, a connection per concurrent client) and gRPC (grpc-java blocking stub, one
 * HTTP/2 channel by default; args[2] channels round-robin). Operations: non-blocking SendMessage (two acknowledged Kafka writes + one command per call) and
 * GetTask (served from the replica's folded view). C virtual-thread clients, N calls after N/5 warm-up calls.
 * Loopback only. Args: {@code requests concurrency channels} (defaults 5000 32 1).
 */
public final class GrpcBench {
    private static final String SECRET = "bench-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    interface Call {
        boolean run() throws Exception;
    }

    record Result(String name, int ok, int failed, double seconds, double p50, double p99) {
        @Override
        public String toString() {
            return String.format("%-30s ok=%d failed=%d  %.0f req/s  p50=%.2f ms  p99=%.2f ms", name, ok, failed,
                    ok / seconds, p50, p99);
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int channels = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path root = Path.of(System.getProperty("bench.root", "../.."));
        ManagedChannel[] pool = new ManagedChannel[channels];
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4);
                Children children = new Children(Path.of("target"))) {
            int port = Ports.freeLoopbackPort();
            // gRPC on the gateway's own server (docs/operations.md "GOAWAY"), JSON-RPC on the HTTP port
            int grpcPort = Ports.freeLoopbackPort();
            Children.Child gateway = children.quarkusJar(root, "gateway-service", "gateway", port, List.of("-Xmx512m"),
                    Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                            "codetether.gateway.auth.api-keys", "bench-client:" + SECRET,
                            "codetether.gateway.rate-limit.requests-per-second", "0",
                            // no worker runs: every task stays submitted; the bench measures the front door, not admission
                            "codetether.gateway.limits.max-in-flight-per-client", "0",
                            "codetether.gateway.limits.max-in-flight", "0",
                            "codetether.gateway.instance-id", "bench", "quarkus.log.level", "WARN",
                            "quarkus.grpc.server.port", String.valueOf(grpcPort)), Map.of());
            Readiness.awaitHealthReady(gateway, port, Duration.ofSeconds(90));
            String url = "http://127.0.0.1:" + port + "/a2a";
            String taskId = firstTask(url);
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + SECRET);
            A2AServiceGrpc.A2AServiceBlockingStub[] stubs = new A2AServiceGrpc.A2AServiceBlockingStub[channels];
            for (int i = 0; i < channels; i++) {
                pool[i] = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
                stubs[i] = A2AServiceGrpc.newBlockingStub(pool[i])
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
            }
            AtomicInteger turn = new AtomicInteger();
            java.util.function.Supplier<A2AServiceGrpc.A2AServiceBlockingStub> stub =
                    () -> stubs[Math.floorMod(turn.getAndIncrement(), channels)];
            Call rpcSend = () -> jsonRpc(url, sendParams()).contains("\"result\"");
            Call grpcSend = () -> stub.get().withDeadlineAfter(30, TimeUnit.SECONDS).sendMessage(grpcSend()).hasTask();
            Call rpcGet = () -> jsonRpc(url, "GetTask", "{\"id\":\"" + taskId + "\"}").contains("\"result\"");
            Call grpcGet = () -> stub.get().withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getTask(GetTaskRequest.newBuilder().setId(taskId).build()).getId().equals(taskId);
            System.out.printf("x %d calls, concurrency %d, %d gRPC channel(s), after %d warm-up calls each%n",
                    requests, concurrency, channels, requests / 5);
            for (Call c : new Call[] {rpcSend, grpcSend, rpcGet, grpcGet}) {
                run("warm-up", c, requests / 5, concurrency);
            }
            System.out.println(run("JSON-RPC SendMessage", rpcSend, requests, concurrency));
            System.out.println(run("gRPC     SendMessage", grpcSend, requests, concurrency));
            System.out.println(run("JSON-RPC GetTask", rpcGet, requests, concurrency));
            System.out.println(run("gRPC     GetTask", grpcGet, requests, concurrency));
        } finally {
            for (ManagedChannel c : pool) {
                if (c != null) {
                    c.shutdownNow();
                }
            }
        }
    }

    static SendMessageRequest grpcSend() {
        return SendMessageRequest.newBuilder()
                .setMessage(Message.newBuilder().setMessageId(UUID.randomUUID().toString()).setRole(Role.ROLE_USER)
                        .addParts(Part.newBuilder().setText("echo bench")))
                .setConfiguration(SendMessageConfiguration.newBuilder().setReturnImmediately(true)).build();
    }

    static String[] sendParams() {
        return new String[] {"SendMessage", "{\"message\":{\"messageId\":\"" + UUID.randomUUID()
                + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"echo bench\"}]},"
                + "\"configuration\":{\"returnImmediately\":true}}"};
    }

    static String jsonRpc(String url, String[] methodAndParams) throws Exception {
        return jsonRpc(url, methodAndParams[0], methodAndParams[1]);
    }

    static String jsonRpc(String url, String method, String params) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("A2A-Version", "1.0").header("Authorization", "Bearer " + SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        return resp.statusCode() == 200 ? resp.body() : "";
    }

    /** The id of a task to read in the GetTask rounds (the gateway is ready: one SendMessage must work). */
    static String firstTask(String url) throws Exception {
        String body = jsonRpc(url, sendParams());
        int at = body.indexOf("\"id\":\"");
        if (!body.contains("\"result\"") || at < 0) {
            throw new IllegalStateException("the first SendMessage failed: '" + body + "'; see target/gateway.log");
        }
        return body.substring(at + 6, body.indexOf('"', at + 6));
    }

    static Result run(String name, Call call, int requests, int concurrency) throws Exception {
        ClosedLoop.Run r = ClosedLoop.run(requests, concurrency, i -> call.run());
        return new Result(name, r.ok(), r.failed(), r.seconds(), r.p50Ms(), r.p99Ms());
    }
}
