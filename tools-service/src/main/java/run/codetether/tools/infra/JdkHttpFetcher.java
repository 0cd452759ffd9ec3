package run.codetether.tools.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.net.HttpFetcher;

/**
 * {@link HttpFetcher} on the JDK HTTP client, redirects never followed (the tool re-checks each hop). Known gap: the
 * JDK client resolves the host again itself, so a DNS answer that changes between the policy check and the connect
 * (DNS rebinding) is not caught here; the addresses checked by the policy are not pinned.
 */
public final class JdkHttpFetcher implements HttpFetcher {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Response get(URI uri, InetAddress[] addresses, int maxBytes, Duration timeout) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "codetether-tools/1.0")
                .GET().build();
        try {
            HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(maxBytes + 1);
                boolean truncated = body.length > maxBytes;
                if (truncated) {
                    body = java.util.Arrays.copyOf(body, maxBytes);
                }
                return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), body, truncated,
                        r.headers().firstValue("location"));
            }
        } catch (IOException e) {
            throw new ToolException(Code.UNAVAILABLE, "fetch of " + uri + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(Code.UNAVAILABLE, "fetch of " + uri + " interrupted");
        }
    }
}
