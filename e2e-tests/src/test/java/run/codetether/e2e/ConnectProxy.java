package run.codetether.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP CONNECT proxy on loopback, as a corporate proxy a worker must go through: it tunnels only to
 * 127.0.0.1 (anything else gets 403 without a connection) and counts the tunnels it opened.
 */
final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    final AtomicInteger tunnels = new AtomicInteger();

    ConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread.ofVirtual().start(() -> serve(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
            }
            String[] request = head.toString(StandardCharsets.ISO_8859_1).split("\r\n")[0].split(" ");
            OutputStream out = client.getOutputStream();
            int colon = request.length > 1 ? request[1].lastIndexOf(':') : -1;
            if (request.length < 2 || !request[0].equals("CONNECT") || colon < 0
                    || !request[1].substring(0, colon).equals("127.0.0.1")) {
                out.write("HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(request[1].substring(colon + 1)))) {
                tunnels.incrementAndGet();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread up = Thread.ofVirtual().start(() -> pump(in, upstreamOut(upstream)));
                pump(upstream.getInputStream(), out);
                up.join();
            }
        } catch (IOException | InterruptedException | NumberFormatException e) {
            // the tunnel ends when either side closes
        }
    }

    private static OutputStream upstreamOut(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
