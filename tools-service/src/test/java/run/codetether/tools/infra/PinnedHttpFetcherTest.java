package run.codetether.tools.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.ToolException;

/**
 * The fetcher connects to the address it is given, never to what the name resolves to: every URL here uses a
 * {@code .invalid} name (which never resolves), pinned to a server on 127.0.0.1. The name still reaches the
 * server as Host header and TLS SNI, and the certificate is verified against it.
 */
class PinnedHttpFetcherTest {

    static final InetAddress[] LOOPBACK = {InetAddress.getLoopbackAddress()};
    final Vertx vertx = Vertx.vertx();
    final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int serve(HttpServerOptions options, String body) throws Exception {
        HttpServer server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0)).requestHandler(req -> {
            seen.add(req.getHeader("Host") + " " + req.uri() + " sni=" + req.connection().indicatedServerName());
            req.response().putHeader("content-type", "text/plain").end(body);
        });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @Test
    void connectsToThePinnedAddressWithTheNameInTheHostHeader() throws Exception {
        int port = serve(new HttpServerOptions(), "x".repeat(5000));
        var fetcher = new PinnedHttpFetcher(vertx);
        var r = fetcher.get(URI.create("http://rebind.invalid:" + port + "/a/b?q=1"), LOOPBACK, 10_000,
                Duration.ofSeconds(10));
        assertEquals(200, r.status());
        assertEquals("text/plain", r.contentType());
        assertEquals(5000, r.body().length);
        assertFalse(r.truncated());
        assertEquals(List.of("rebind.invalid:" + port + " /a/b?q=1 sni=null"), seen);

        var cut = fetcher.get(URI.create("http://rebind.invalid:" + port + "/"), LOOPBACK, 100, Duration.ofSeconds(10));
        assertTrue(cut.truncated());
        assertArrayEquals("x".repeat(100).getBytes(StandardCharsets.UTF_8), cut.body());

        var none = assertThrows(ToolException.class, () -> fetcher.get(URI.create("http://rebind.invalid:" + port
                + "/"), new InetAddress[0], 100, Duration.ofSeconds(10)));
        assertEquals(ToolException.Code.EGRESS_REFUSED, none.code());
    }

    @Test
    void httpsSendsTheNameAsSniAndVerifiesTheCertificateAgainstIt(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=pinned.invalid", "-ext", "SAN=dns:pinned.invalid", "-validity", "2", "-keystore", ks.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true)
                .start();
        String log = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), log);
        PfxOptions store = new PfxOptions().setPath(ks.toString()).setPassword("changeit");
        int port = serve(new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(store), "secure");
        var fetcher = new PinnedHttpFetcher(vertx, store);

        var r = fetcher.get(URI.create("https://pinned.invalid:" + port + "/"), LOOPBACK, 1000, Duration.ofSeconds(10));
        assertEquals("secure", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(List.of("pinned.invalid:" + port + " / sni=pinned.invalid"), seen);

        // A server that always presents this certificate (no SNI selection), reached under another name: the
        // client's hostname check refuses it.
        int plainTls = serve(new HttpServerOptions().setSsl(true).setKeyCertOptions(store), "secure");
        var e = assertThrows(ToolException.class, () -> fetcher.get(URI.create("https://other.invalid:" + plainTls
                + "/"), LOOPBACK, 1000, Duration.ofSeconds(10)));
        assertEquals(ToolException.Code.UNAVAILABLE, e.code());
        assertEquals(1, seen.size(), "no request reached the server over the unverified connection");
        // and the default trust store does not trust a self-signed certificate at all
        var untrusted = assertThrows(ToolException.class, () -> new PinnedHttpFetcher(vertx).get(
                URI.create("https://pinned.invalid:" + port + "/"), LOOPBACK, 1000, Duration.ofSeconds(10)));
        assertEquals(ToolException.Code.UNAVAILABLE, untrusted.code());
    }
}
