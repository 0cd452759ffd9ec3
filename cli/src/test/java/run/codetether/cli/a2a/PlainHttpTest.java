package run.codetether.cli.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The plain-socket POST of {@code run}'s first stream, against a loopback socket that answers byte for byte. */
class PlainHttpTest {
    private static final List<String[]> HEADERS = List.of(new String[] {"Content-Type", "application/json"},
            new String[] {"Authorization", "Bearer k"});

    /** Serves one connection: reads the request head and body, writes {@code answer}, closes. Answers the request. */
    private static CompletableFuture<String> serve(ServerSocket server, String answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    head.write(in.read());
                }
                String h = head.toString(StandardCharsets.ISO_8859_1);
                int length = Integer.parseInt(h.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return h + body;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ServerSocket loopback() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static URI uri(ServerSocket server, String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    @Test
    void sendsTheRequestAndDecodesAChunkedAnswer() throws Exception {
        try (ServerSocket server = loopback()) {
            CompletableFuture<String> request = serve(server, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\ndata:\r\n8\r\n {\"a\":1}\r\n2\r\n\n\n\r\n0\r\nX-Trailer: t\r\n\r\n");
            PlainHttp.Response r = PlainHttp.post(uri(server, "/a2a?x=1"), HEADERS,
                    "{\"q\":\"é\"}".getBytes(StandardCharsets.UTF_8), 5_000);
            assertEquals(200, r.status());
            assertEquals("text/event-stream", r.header("content-type"));
            try (InputStream body = r.body()) {
                assertEquals("data: {\"a\":1}\n\n", new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals("POST /a2a?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\n"
                    + "Connection: close\r\nContent-Length: 10\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer k\r\n\r\n{\"q\":\"é\"}", request.get());
        }
    }

    @Test
    void readsASizedAnswerAndOneThatEndsWithTheConnection() throws Exception {
        try (ServerSocket server = loopback()) {
            serve(server, "HTTP/1.1 401 Unauthorized\r\ncontent-length: 4\r\n\r\nnopeEXTRA");
            PlainHttp.Response r = PlainHttp.post(uri(server, ""), HEADERS, new byte[0], 5_000);
            assertEquals(401, r.status());
            try (InputStream body = r.body()) {
                assertEquals("nope", new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            serve(server, "HTTP/1.0 500 Oops\r\n\r\nuntil close");
            r = PlainHttp.post(uri(server, "/"), HEADERS, new byte[0], 5_000);
            try (InputStream body = r.body()) {
                assertEquals(500, r.status());
                assertEquals("until close", new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Reads the body with the one-byte {@code read()} to its end (-1), as a byte-wise reader does. */
    private static String byteByByte(InputStream body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c; (c = body.read()) != -1; ) {
            out.write(c);
        }
        assertEquals(-1, body.read(), "the end stays the end");
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsChunkedAndSizedBodiesByteByByte() throws Exception {
        try (ServerSocket server = loopback()) {
            serve(server, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na\u00e9\r\n2\r\ncd\r\n0\r\n\r\n");
            PlainHttp.Response chunked = PlainHttp.post(uri(server, "/"), HEADERS, new byte[0], 5_000);
            try (InputStream body = chunked.body()) {
                assertEquals("a\u00e9cd", byteByByte(body));
            }
            serve(server, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyzEXTRA");
            PlainHttp.Response sized = PlainHttp.post(uri(server, "/"), HEADERS, new byte[0], 5_000);
            try (InputStream body = sized.body()) {
                assertEquals("xyz", byteByByte(body));
            }
        }
    }

    @Test
    void failsClearlyOnACutOrForeignAnswer() throws Exception {
        try (ServerSocket server = loopback()) {
            serve(server, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort");
            PlainHttp.Response r = PlainHttp.post(uri(server, "/"), HEADERS, new byte[0], 5_000);
            IOException cut = assertThrows(IOException.class, () -> r.body().readAllBytes());
            assertTrue(cut.getMessage().contains("in the middle of a chunk"), cut.getMessage());
            serve(server, "SSH-2.0-OpenSSH\r\n\r\n");
            IOException foreign = assertThrows(IOException.class,
                    () -> PlainHttp.post(uri(server, "/"), HEADERS, new byte[0], 5_000));
            assertTrue(foreign.getMessage().contains("not HTTP/1.1"), foreign.getMessage());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void interruptingTheReaderClosesTheStream() throws Exception {
        try (ServerSocket server = loopback()) {
            CompletableFuture<Socket> held = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = server.accept();
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return s; // and never a chunk
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            PlainHttp.Response r = PlainHttp.post(uri(server, "/"), HEADERS, new byte[0], 5_000);
            // an interruptible channel: an interrupted reader gets ClosedByInterruptException and the socket closes
            Thread.currentThread().interrupt();
            try {
                assertThrows(java.nio.channels.ClosedByInterruptException.class, () -> r.body().read());
            } finally {
                Thread.interrupted();
            }
            assertThrows(IOException.class, () -> r.body().read());
            held.get().close();
        }
    }
}
