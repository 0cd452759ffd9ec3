package run.codetether.gateway.support;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The tests' gRPC client of the gateway's A2A service (grpc-java stubs over a real HTTP/2 channel to its own gRPC server),
 * written once for the conformance adapter and the gRPC-only tests.
 */
public final class A2AGrpc {
    /**
     * One plaintext channel per port for the whole test run: a test class with its own profile restarts the
     * application, and the channel reconnects to the new one by itself.
     */
    private static final Map<Integer, ManagedChannel> CHANNELS = new ConcurrentHashMap<>();

    private A2AGrpc() {}

    /** The channel to the running test application. */
    public static ManagedChannel channel() {
        return channel(port());
    }

    /** The running test application's gRPC port: its own server's, not the HTTP port (docs/operations.md "GOAWAY"). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    }

    public static ManagedChannel channel(int port) {
        return CHANNELS.computeIfAbsent(port,
                p -> ManagedChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build());
    }

    /** Request metadata with one ASCII header. */
    public static Metadata headers(String name, String value) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return md;
    }

    /** A blocking stub with a 60 s deadline that sends {@code header: value} on every call (nothing when null). */
    public static A2AServiceGrpc.A2AServiceBlockingStub blocking(ManagedChannel channel, String header, String value) {
        A2AServiceGrpc.A2AServiceBlockingStub s = A2AServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        return value == null ? s
                : s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(header, value)));
    }

    /** A blocking stub of the running application that authenticates with a bearer credential (none when null). */
    public static A2AServiceGrpc.A2AServiceBlockingStub bearer(String credential) {
        return blocking(channel(), "authorization", credential == null ? null : "Bearer " + credential);
    }
}
