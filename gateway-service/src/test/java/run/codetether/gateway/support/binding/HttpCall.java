package run.codetether.gateway.support.binding;

import java.net.URI;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.RawHttp;

/**
 * One request of an HTTP binding (JSON-RPC, HTTP+JSON) as its binding built it from A2A 1.0 params: sent as a
 * unary call, opened as a stream, or written by hand without a Host header. Each binding has one way to build it.
 */
record HttpCall(String method, URI uri, String body) {

    A2AHttp.Reply send(String key, String version) {
        return A2AHttp.send(method, uri, body, key, version);
    }

    A2AHttp.Stream open(String key, String version) {
        return A2AHttp.open(method, uri, body, key, version);
    }

    /** The same request over HTTP/1.1 with every header a client sends but Host. */
    RawHttp.Answer withoutHost(String key) {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return RawHttp.send(uri, method + " " + target + " HTTP/1.1\r\nAuthorization: Bearer " + key
                + (body == null ? "" : "\r\nContent-Type: application/json"), body);
    }
}
