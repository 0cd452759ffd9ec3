package run.codetether.tools.domain.net;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Fetches one URL (no redirects followed: the caller re-checks each hop). Port; the JDK client implements it. */
public interface HttpFetcher {

    /** Status, content type, body (cut at maxBytes), whether it was cut, and the Location of a redirect. */
    record Response(int status, String contentType, byte[] body, boolean truncated, Optional<String> location) {}

    /** {@code addresses} are the policy-checked addresses of the URL's host; the connection must use one of them. */
    Response get(URI uri, InetAddress[] addresses, int maxBytes, Duration timeout);
}
