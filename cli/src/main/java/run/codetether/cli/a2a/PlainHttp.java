package run.codetether.cli.a2a;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.1 POST over a plain socket, for the streaming call that starts {@code run} against an {@code http://}
 * gateway: the JDK's {@code HttpClient} (its set-up thread, selector thread, some 230 classes of
 * {@code jdk.internal.net.http}) was the largest piece of {@code run}'s CPU before its first request left. This sends
 * the request line and headers that client sends (no proxy, no redirects as it is set up; {@code Connection: close}
 * as the stream is read to its end), and it reads what the gateway answers: a status line, headers, a body that is chunked, sized by
 * {@code Content-Length} or ends with the connection. The socket is an interruptible channel: interrupting the reading
 * thread closes it, as it closes {@code HttpClient}'s stream. {@code https://} keeps {@code HttpClient}.
 */
final class PlainHttp {
    private PlainHttp() {}

    /** The answer's status, headers (names in lower case, the first value of each) and body. */
    record Response(int status, Map<String, String> headers, InputStream body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    static Response post(URI uri, List<String[]> headers, byte[] body, int connectTimeoutMs) throws IOException {
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        SocketChannel channel = SocketChannel.open();
        try {
            try {
                channel.socket().connect(new InetSocketAddress(host, port), connectTimeoutMs);
            } catch (java.net.SocketTimeoutException slow) {
                throw new java.net.http.HttpConnectTimeoutException("HTTP connect timed out");
            } catch (java.net.UnknownHostException | java.nio.channels.UnresolvedAddressException unknown) {
                // as HttpClient reports a name that does not resolve
                java.net.ConnectException c = new java.net.ConnectException("cannot resolve " + host);
                c.initCause(new java.nio.channels.UnresolvedAddressException());
                throw c;
            }
            OutputStream out = Channels.newOutputStream(channel);
            out.write(request(uri, headers, body));
            out.flush();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return response(channel, channel);
    }

    /**
     * The request's bytes as {@link #post} writes them: request line, {@code Host}, {@code Connection: close},
     * {@code Content-Length}, {@code headers} in their order, the body. The launcher writes the same bytes for
     * {@code run}'s first request ({@link LauncherRequest}).
     */
    static byte[] request(URI uri, List<String[]> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        head.append("POST ").append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(uri.getHost()).append(uri.getPort() < 0 ? "" : ":" + uri.getPort()).append("\r\n");
        head.append("Connection: close\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n");
        for (String[] h : headers) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** The answer on a connection whose request is written; closing its body (or a failure) runs {@code end}. */
    static Response response(SocketChannel channel, java.io.Closeable end) throws IOException {
        try {
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 8192);
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("the gateway's answer is not HTTP/1.1: " + abbreviate(status));
            }
            int code;
            try {
                code = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("the gateway's answer has no status code: " + abbreviate(status));
            }
            Map<String, String> fields = new HashMap<>();
            for (String l; !(l = line(in)).isEmpty(); ) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                            l.substring(colon + 1).trim());
                }
            }
            InputStream content;
            if (fields.getOrDefault("transfer-encoding", "").toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                content = new Chunked(in);
            } else if (fields.containsKey("content-length")) {
                content = new Sized(in, Long.parseLong(fields.get("content-length")));
            } else {
                content = in;
            }
            return new Response(code, fields, new FilterInputStream(content) {
                @Override
                public void close() throws IOException {
                    end.close();
                }
            });
        } catch (IOException | RuntimeException e) {
            end.close();
            throw e;
        }
    }

    /** One header line without its CRLF (ISO-8859-1, as HTTP/1.1 headers are). */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the gateway closed the connection in the middle of the answer's head");
            }
            if (b.size() > 65_536) {
                throw new IOException("an answer header line longer than 64 KiB");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** A body framed over the connection: its one-byte read is its bulk read's, so framing is decoded in one place. */
    private abstract static class Body extends FilterInputStream {
        Body(InputStream in) {
            super(in);
        }

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public abstract int read(byte[] b, int off, int len) throws IOException;
    }

    /** A body of {@code Content-Length} bytes. */
    private static final class Sized extends Body {
        private long left;

        Sized(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the gateway closed the connection " + left + " bytes before the body's end");
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body (RFC 9112 section 7.1): chunk sizes in hex, extensions ignored, trailers skipped. */
    private static final class Chunked extends Body {
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("a chunked answer with a bad chunk size: " + abbreviate(size));
                }
                if (left == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the gateway closed the connection in the middle of a chunk");
            }
            left -= n;
            if (left == 0) {
                line(in); // the CRLF after the chunk
            }
            return n;
        }
    }
}
