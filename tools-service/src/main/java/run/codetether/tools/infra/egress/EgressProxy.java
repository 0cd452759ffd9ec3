package run.codetether.tools.infra.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.egress.EgressRecorder;
import run.codetether.tools.domain.egress.EgressSessions;
import run.codetether.tools.domain.net.HostGate;

/**
 * The sandbox's only way out: an HTTP proxy (CONNECT for https and anything TLS, absolute-form requests for plain
 * http) on one Unix socket per session, which the sandbox gets bind-mounted (a socket file crosses the network
 * namespace boundary, a TCP port would not). Every destination goes through the {@link HostGate}: allowlist, one DNS
 * lookup here, internal addresses refused; the proxy then connects to the checked address itself, so a name cannot
 * be rebound between check and connect. One request per plain-http connection ({@code Connection: close} upstream),
 * so a second request on a kept-alive connection can never reach a host that was not checked. Every request is
 * recorded (host, port, bytes each way, outcome and why). The socket identifies the session: nothing the sandbox
 * sends can claim another.
 */
public final class EgressProxy implements EgressSessions, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EgressProxy.class);
    private static final int MAX_HEAD = 64 * 1024;

    private final Path socketDir;
    private final HostGate gate;
    private final EgressRecorder recorder;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    /**
     * Listeners by key: the session id for the session's own socket, {@code <session>#<scope>} for a listener with
     * its own allowlist (an MCP server's). Session ids cannot contain '#', so keys never collide.
     */
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

    /** One listening socket: whose it is (records and logs), what it lets through, and the file to remove. */
    private record Listener(String sessionId, ServerSocketChannel channel, HostGate gate, Path socket) {}
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "egress-proxy-timer");
        t.setDaemon(true);
        return t;
    });

    public EgressProxy(Path socketDir, HostGate gate, EgressRecorder recorder, Duration connectTimeout,
            Duration idleTimeout) {
        this.socketDir = socketDir.toAbsolutePath().normalize();
        this.gate = gate;
        this.recorder = recorder;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        try {
            Files.createDirectories(this.socketDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            // only this service may reach a session's socket (the sandbox gets the socket itself bind-mounted)
            Files.setPosixFilePermissions(this.socketDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the egress socket directory " + socketDir + ": "
                    + e.getMessage(), e);
        }
    }

    public HostGate gate() {
        return gate;
    }

    /** The session's proxy socket, listening from the first call on. */
    public Path socketFor(String sessionId) {
        Path path = socketDir.resolve(hash(sessionId) + ".sock");
        listeners.computeIfAbsent(sessionId, id -> listenUnix(sessionId, path, gate));
        return path;
    }

    /**
     * A proxy socket of the session with its own allowlist (e.g. one MCP server's), for a sandbox; listening until
     * {@link #close(String, String)} or the session closes.
     */
    public Path socketFor(String sessionId, String scope, HostGate scopedGate) {
        String key = sessionId + "#" + scope;
        Path path = socketDir.resolve(hash(key) + ".sock");
        listeners.computeIfAbsent(key, k -> listenUnix(sessionId, path, scopedGate));
        return path;
    }

    /**
     * The same proxy on a loopback TCP port, with its own allowlist, for a client in this process that takes an HTTP
     * proxy address (the JDK HTTP client of an MCP streamable HTTP server): its destinations get the same checks,
     * pinning and records as the sandbox's.
     */
    public InetSocketAddress loopbackFor(String sessionId, String scope, HostGate scopedGate) {
        String key = sessionId + "#" + scope;
        Listener l = listeners.computeIfAbsent(key, k -> listenLoopback(sessionId, scopedGate));
        try {
            return (InetSocketAddress) l.channel().getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("egress listener of " + key + " is closed", e);
        }
    }

    /** Stops a scoped listener (and removes its socket file). */
    public void close(String sessionId, String scope) {
        stop(sessionId + "#" + scope);
    }

    /** Stops the session's listeners (its own and every scoped one); connections in flight end on their own. */
    @Override
    public void closeSession(String sessionId) {
        for (String key : java.util.List.copyOf(listeners.keySet())) {
            if (key.equals(sessionId) || key.startsWith(sessionId + "#")) {
                stop(key);
            }
        }
    }

    private void stop(String key) {
        Listener l = listeners.remove(key);
        if (l != null) {
            try {
                l.channel().close();
                if (l.socket() != null) {
                    Files.deleteIfExists(l.socket());
                }
            } catch (IOException e) {
                LOG.debugf("closing the egress listener %s: %s", key, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        java.util.List.copyOf(listeners.keySet()).forEach(this::stop);
        timers.shutdownNow();
    }

    private Listener listenUnix(String sessionId, Path path, HostGate g) {
        try {
            Files.deleteIfExists(path); // a socket file left by an earlier process
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), 64);
            Listener l = new Listener(sessionId, server, g, path);
            Thread.ofVirtual().name("egress-accept-" + sessionId).start(() -> acceptLoop(l));
            return l;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on the egress socket " + path + ": " + e.getMessage(), e);
        }
    }

    private Listener listenLoopback(String sessionId, HostGate g) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            Listener l = new Listener(sessionId, server, g, null);
            Thread.ofVirtual().name("egress-accept-tcp-" + sessionId).start(() -> acceptLoop(l));
            return l;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback for egress: " + e.getMessage(), e);
        }
    }

    private void acceptLoop(Listener l) {
        while (l.channel().isOpen()) {
            try {
                SocketChannel client = l.channel().accept();
                Thread.ofVirtual().start(() -> handle(l.sessionId(), l.gate(), client));
            } catch (IOException e) {
                if (l.channel().isOpen()) {
                    LOG.warnf("egress proxy of session %s: accept failed: %s", l.sessionId(), e.getMessage());
                }
                return;
            }
        }
    }

    private void handle(String sessionId, HostGate gate, SocketChannel client) {
        ScheduledFuture<?> headTimer = timers.schedule(() -> closeQuietly(client), 30, TimeUnit.SECONDS);
        try (client) {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            byte[][] rest = new byte[1][];
            String head = readHead(in, rest);
            headTimer.cancel(false);
            if (head == null) {
                return; // connected and went away without a request: nothing to record
            }
            ProxyRequest req = ProxyRequest.parse(head);
            if (req == null) {
                refuse(out, sessionId, "?", "", 0, 400, "bad-request", "not an HTTP proxy request (use CONNECT host:port"
                        + " or an absolute http:// URL)");
                return;
            }
            HostGate.Decision d = gate.check(req.host(), req.port());
            if (d instanceof HostGate.Refused r) {
                refuse(out, sessionId, req.method(), r.host(), req.port(), 403, r.reason().word(), r.message());
                return;
            }
            forward(sessionId, (HostGate.Allowed) d, req, rest[0], in, out, client);
        } catch (IOException e) {
            LOG.debugf("egress proxy of session %s: %s", sessionId, e.getMessage());
        } finally {
            headTimer.cancel(false);
        }
    }

    private void forward(String sessionId, HostGate.Allowed allowed, ProxyRequest req, byte[] rest, InputStream in,
            OutputStream out, SocketChannel client) throws IOException {
        Socket upstream = null;
        IOException last = null;
        for (InetAddress a : allowed.addresses()) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, allowed.port()), (int) connectTimeout.toMillis());
                upstream = s;
                break;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
            }
        }
        if (upstream == null) {
            String why = "cannot connect to " + HostGate.display(allowed.host(), allowed.port()) + ": "
                    + (last == null ? "no address" : last.getMessage());
            respond(out, 502, "failed", why);
            recorder.record(new EgressEvent(sessionId, System.currentTimeMillis(), req.method(), allowed.host(),
                    allowed.port(), EgressEvent.FAILED, "unreachable", why, "", 0, 0));
            return;
        }
        String address = upstream.getInetAddress().getHostAddress();
        AtomicLong up = new AtomicLong();
        AtomicLong down = new AtomicLong();
        try (Socket u = upstream) {
            u.setSoTimeout((int) idleTimeout.toMillis());
            OutputStream uOut = u.getOutputStream();
            if (req.connect()) {
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } else {
                byte[] h = req.originHead().getBytes(StandardCharsets.ISO_8859_1);
                uOut.write(h);
                up.addAndGet(h.length);
            }
            if (rest.length > 0) {
                uOut.write(rest);
                up.addAndGet(rest.length);
            }
            uOut.flush();
            // The upstream side ends the exchange: record first, then close the sandbox side, so whoever sees the
            // end of the response also finds the record.
            Thread back = Thread.ofVirtual().start(() -> {
                try {
                    pump(u.getInputStream(), out, down);
                } catch (IOException e) {
                    // upstream closed or idle too long
                } finally {
                    recorder.record(new EgressEvent(sessionId, System.currentTimeMillis(), req.method(), allowed.host(),
                            allowed.port(), EgressEvent.ALLOWED, "", "", address, up.get(), down.get()));
                    closeQuietly(client);
                }
            });
            try {
                pump(in, uOut, up);
                u.shutdownOutput();
            } catch (IOException e) {
                // the sandbox side went away
            }
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuse(OutputStream out, String sessionId, String method, String host, int port, int status,
            String reason, String message) throws IOException {
        recorder.record(new EgressEvent(sessionId, System.currentTimeMillis(), method, host, port, EgressEvent.REFUSED,
                reason, message, "", 0, 0));
        respond(out, status, "refused", "refused " + HostGate.display(host.isEmpty() ? "?" : host, port) + ": " + message);
    }

    private static void respond(OutputStream out, int status, String kind, String text) throws IOException {
        byte[] body = ("codetether egress proxy: " + text + "\n").getBytes(StandardCharsets.UTF_8);
        String phrase = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            default -> "Bad Gateway";
        };
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "X-Codetether-Egress: " + kind + "\r\nConnection: close\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The request head (up to the blank line) as ISO-8859-1; bytes read past it land in {@code rest[0]}. */
    static String readHead(InputStream in, byte[][] rest) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (buf.size() <= MAX_HEAD) {
            int n = in.read(chunk);
            if (n < 0) {
                return null;
            }
            buf.write(chunk, 0, n);
            byte[] all = buf.toByteArray();
            int end = indexOf(all, new byte[] {'\r', '\n', '\r', '\n'});
            if (end >= 0) {
                rest[0] = java.util.Arrays.copyOfRange(all, end + 4, all.length);
                return new String(all, 0, end + 4, StandardCharsets.ISO_8859_1);
            }
        }
        return "";
    }

    private static int indexOf(byte[] a, byte[] pat) {
        outer:
        for (int i = 0; i + pat.length <= a.length; i++) {
            for (int j = 0; j < pat.length; j++) {
                if (a[i + j] != pat[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void pump(InputStream in, OutputStream out, AtomicLong count) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
            count.addAndGet(n);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    static String hash(String sessionId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sessionId.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A parsed proxy request: CONNECT host:port, or an absolute-form http:// request rewritten to origin form. */
    record ProxyRequest(String method, String host, int port, boolean connect, String originHead) {

        static ProxyRequest parse(String head) {
            if (head.isEmpty()) {
                return null;
            }
            String[] lines = head.split("\r\n");
            String[] first = lines[0].split(" ");
            if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
                return null;
            }
            String method = first[0].toUpperCase(Locale.ROOT);
            if (!method.matches("[A-Z]{1,20}")) {
                return null;
            }
            if (method.equals("CONNECT")) {
                String target = first[1];
                int colon = target.lastIndexOf(':');
                if (colon <= 0) {
                    return null;
                }
                try {
                    int port = Integer.parseInt(target.substring(colon + 1));
                    return new ProxyRequest(method, target.substring(0, colon), port, true, "");
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            URI uri;
            try {
                uri = new URI(first[1]);
            } catch (java.net.URISyntaxException e) {
                return null;
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return null;
            }
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            StringBuilder b = new StringBuilder(method).append(' ').append(path).append(' ').append(first[2]).append("\r\n");
            boolean host = false;
            for (int i = 1; i < lines.length; i++) {
                String l = lines[i];
                String name = l.contains(":") ? l.substring(0, l.indexOf(':')).strip().toLowerCase(Locale.ROOT) : "";
                if (name.startsWith("proxy-") || name.equals("connection") || name.equals("keep-alive")) {
                    continue;
                }
                host |= name.equals("host");
                b.append(l).append("\r\n");
            }
            if (!host) {
                b.append("Host: ").append(uri.getHost()).append(port == 80 ? "" : ":" + port).append("\r\n");
            }
            b.append("Connection: close\r\n\r\n");
            return new ProxyRequest(method, uri.getHost(), port, false, b.toString());
        }
    }

}
