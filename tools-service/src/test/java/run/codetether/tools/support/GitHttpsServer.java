package run.codetether.tools.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * git's smart HTTP protocol over HTTPS on 127.0.0.1: the JDK's HttpsServer runs the real {@code git http-backend}
 * as a CGI for every request, after checking HTTP Basic auth against one user and token (401 with a challenge
 * otherwise, as GitHub does). The certificate (made by keytool) is for {@code hostName} and 127.0.0.1; its PEM is
 * what git gets as CA file. Records each request and whether it carried the right credential.
 */
public final class GitHttpsServer implements AutoCloseable {

    public record Request(String method, String path, boolean authorized, String authorization) {}

    private final HttpsServer server;
    private final Path caPem;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private GitHttpsServer(HttpsServer server, Path caPem) {
        this.server = server;
        this.caPem = caPem;
    }

    public static GitHttpsServer start(Path projectRoot, Path scratch, String hostName, String user, String token)
            throws Exception {
        Path ks = scratch.resolve("server.p12");
        Path pem = scratch.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        exec(keytool, "-genkeypair", "-alias", "git", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + hostName, "-ext", "SAN=dns:" + hostName + ",ip:127.0.0.1", "-ext", "BC:c=ca:true", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit");
        exec(keytool, "-exportcert", "-rfc", "-alias", "git", "-keystore", ks.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer http = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setHttpsConfigurator(new HttpsConfigurator(ssl));
        GitHttpsServer s = new GitHttpsServer(http, pem);
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        http.createContext("/", ex -> s.handle(ex, projectRoot, expected, user));
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path caPem() {
        return caPem;
    }

    public List<Request> requests() {
        return requests;
    }

    private void handle(HttpExchange ex, Path root, String expected, String user) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        boolean ok = expected.equals(auth);
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ok, auth == null ? "" : auth));
        if (!ok) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
        }
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        var env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("PATH_INFO", ex.getRequestURI().getPath());
        env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("REMOTE_USER", user);
        env.put("REMOTE_ADDR", "127.0.0.1");
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct != null) {
            env.put("CONTENT_TYPE", ct);
        }
        String ce = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (ce != null) {
            env.put("HTTP_CONTENT_ENCODING", ce);
        }
        String gp = ex.getRequestHeaders().getFirst("Git-Protocol");
        if (gp != null) {
            env.put("GIT_PROTOCOL", gp);
        }
        Process p = pb.start();
        Thread feed = Thread.ofVirtual().start(() -> {
            try (OutputStream in = p.getOutputStream(); InputStream body = ex.getRequestBody()) {
                body.transferTo(in);
            } catch (IOException e) {
                // the backend stopped reading
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                p.getErrorStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // gone
            }
        });
        InputStream out = p.getInputStream();
        int status = 200;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = out.read();
            if (b < 0) {
                break;
            }
            if (b == '\n') {
                String h = line.toString(StandardCharsets.ISO_8859_1).strip();
                line.reset();
                if (h.isEmpty()) {
                    break;
                }
                int c = h.indexOf(':');
                String name = h.substring(0, c).strip();
                String value = h.substring(c + 1).strip();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.substring(0, 3));
                } else {
                    ex.getResponseHeaders().add(name, value);
                }
            } else {
                line.write(b);
            }
        }
        ex.sendResponseHeaders(status, 0);
        try (OutputStream body = ex.getResponseBody()) {
            out.transferTo(body);
        }
        try {
            feed.join();
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.close();
    }

    private static void exec(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            Files.deleteIfExists(caPem);
        } catch (IOException e) {
            // scratch directory is removed by JUnit
        }
    }
}
