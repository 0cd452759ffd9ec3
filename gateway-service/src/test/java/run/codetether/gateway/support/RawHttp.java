package run.codetether.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a loopback socket, for requests no HTTP client would send (no Host header). The
 * request asks the server to close the connection, so the whole answer is what arrives until then.
 */
public final class RawHttp {
    private RawHttp() {}

    public record Answer(int status, String head, String body) {}

    /** @param head the request line and headers, without the final blank line and without Connection */
    public static Answer send(URI server, String head, String body) {
        try (Socket s = new Socket("127.0.0.1", server.getPort())) {
            s.setSoTimeout(20_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\nConnection: close\r\nContent-Length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String responseHead = split < 0 ? text : text.substring(0, split);
            String responseBody = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(responseHead.split(" ", 3)[1]);
            return new Answer(status, responseHead, responseBody);
        } catch (Exception e) {
            throw new AssertionError("raw HTTP request failed: " + e, e);
        }
    }
}
