package run.codetether.tools.infra;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.net.HttpFetcher;

/**
 * {@link HttpFetcher} that connects to exactly the addresses the egress policy checked (DNS rebinding cannot swap
 * in another one between the check and the connect: nothing here resolves the name again). The URL's host still
 * goes into the Host header, the TLS SNI and the certificate's hostname verification, so virtual hosts and HTTPS
 * work as with a normal client. Redirects are never followed (the tool re-checks each hop). Addresses are tried in
 * the order the policy returned them until one accepts the connection.
 */
public final class PinnedHttpFetcher implements HttpFetcher {

    private final HttpClient client;

    /** Production: the JDK's default trust store. */
    public PinnedHttpFetcher(Vertx vertx) {
        this(vertx, null);
    }

    /** With a given trust store (tests use a self-signed certificate). */
    public PinnedHttpFetcher(Vertx vertx, TrustOptions trust) {
        HttpClientOptions o = new HttpClientOptions().setVerifyHost(true).setForceSni(true).setTrustAll(false)
                .setConnectTimeout(10_000).setKeepAlive(false).setTryUseCompression(false);
        if (trust != null) {
            o.setTrustOptions(trust);
        }
        this.client = vertx.createHttpClient(o);
    }

    @Override
    public Response get(URI uri, InetAddress[] addresses, int maxBytes, Duration timeout) {
        if (addresses == null || addresses.length == 0) {
            throw new ToolException(Code.EGRESS_REFUSED, "no checked address to connect to for " + uri);
        }
        boolean tls = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        List<String> failures = new ArrayList<>();
        for (InetAddress address : addresses) {
            RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                    .setSsl(tls).setURI(path).setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setIdleTimeout(timeout.toMillis()).putHeader("User-Agent", "codetether-tools/1.0");
            CompletableFuture<Response> result = new CompletableFuture<>();
            client.request(req).onFailure(result::completeExceptionally).onSuccess(r -> r.send()
                    .onFailure(result::completeExceptionally).onSuccess(resp -> read(resp, maxBytes, result)));
            try {
                return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // the connection to this address failed: try the next checked one
                failures.add(address.getHostAddress() + ": " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                result.cancel(true);
                throw new ToolException(Code.UNAVAILABLE, "fetch of " + uri + " timed out after " + timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException(Code.UNAVAILABLE, "fetch of " + uri + " interrupted");
            }
        }
        throw new ToolException(Code.UNAVAILABLE, "fetch of " + uri + " failed: " + String.join("; ", failures));
    }

    /** Collects the body up to maxBytes; beyond it the connection is dropped and the body marked as cut. */
    private static void read(HttpClientResponse resp, int maxBytes, CompletableFuture<Response> result) {
        Buffer body = Buffer.buffer();
        String type = Optional.ofNullable(resp.getHeader("content-type")).orElse("");
        Optional<String> location = Optional.ofNullable(resp.getHeader("location"));
        resp.exceptionHandler(e -> result.completeExceptionally(new IllegalStateException("the connection broke"
                + " during the body: " + e.getMessage(), e)));
        resp.handler(chunk -> {
            if (result.isDone()) {
                return;
            }
            int room = maxBytes - body.length();
            if (chunk.length() > room) {
                body.appendBuffer(chunk, 0, Math.max(0, room));
                result.complete(new Response(resp.statusCode(), type, body.getBytes(), true, location));
                resp.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        resp.endHandler(v -> result.complete(new Response(resp.statusCode(), type, body.getBytes(), false, location)));
    }
}
