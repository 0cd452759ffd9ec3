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

    /**
     * Declares a body of {@code declaredLength} bytes, writes only {@code prefix} and reads one answer: one that
     * comes was given before the body was read to its end (else the read times out after 10 s).
     *
     * @param head the request line and headers, without the final blank line, Connection and Content-Length
     */
    public static Answer sendPrefix(URI server, String head, long declaredLength, byte[] prefix) {
        try (Socket s = new Socket("127.0.0.1", server.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\nContent-Length: " + declaredLength + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(prefix);
            out.flush();
            return readOne(s.getInputStream());
        } catch (Exception e) {
            throw new AssertionError("raw HTTP request failed: " + e, e);
        }
    }

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
            return read(s.getInputStream());
        } catch (Exception e) {
            throw new AssertionError("raw HTTP request failed: " + e, e);
        }
    }

    /** One answer with a Content-Length, read without waiting for the connection to close. */
    private static Answer readOne(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("connection closed in the answer's head: " + head);
            }
            head.write(c);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(text.split(" ", 3)[1]), text.trim(), body);
    }

    /** The answer, read until the server closes the connection. */
    private static Answer read(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String responseHead = split < 0 ? text : text.substring(0, split);
        String responseBody = split < 0 ? "" : text.substring(split + 4);
        int status = Integer.parseInt(responseHead.split(" ", 3)[1]);
        return new Answer(status, responseHead, responseBody);
    }
}
