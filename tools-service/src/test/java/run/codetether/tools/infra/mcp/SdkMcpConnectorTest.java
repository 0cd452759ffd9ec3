package run.codetether.tools.infra.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.mcp.McpHttpTestServer;
import run.codetether.fixtures.mcp.McpStdioTestServer;
import run.codetether.fixtures.mcp.McpTestTools;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.mcp.McpCallResult;
import run.codetether.tools.domain.mcp.McpConnection;
import run.codetether.tools.domain.mcp.McpContent;
import run.codetether.tools.domain.mcp.McpListing;
import run.codetether.tools.domain.mcp.McpPool;
import run.codetether.tools.domain.mcp.McpSecrets;
import run.codetether.tools.domain.mcp.McpServerSpec;
import run.codetether.tools.domain.mcp.McpTool;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.infra.egress.BridgeLauncher;
import run.codetether.tools.infra.egress.EgressLog;
import run.codetether.tools.infra.egress.EgressProxy;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.SandboxLimits;

/**
 * The MCP client side against real servers on the official SDK: the stdio test server as a JVM inside bubblewrap
 * (with its own egress proxy, secret env over stdin), the streamable HTTP test server in Tomcat on loopback behind
 * the egress proxy, a crashing and a hanging server; and the pool's laziness, reuse, restart and idle closing. Names
 * resolve through a table (no DNS); nothing connects anywhere but 127.0.0.1.
 */
class SdkMcpConnectorTest {

    static final String SECRET = "s3cret-" + System.nanoTime();
    static final Duration T = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static HttpServer registry;
    static List<String> registrySeen = Collections.synchronizedList(new ArrayList<>());
    static McpHttpTestServer http;
    static EgressProxy proxy;
    static EgressLog egress;
    static RecordingSandbox sandbox;
    static SdkMcpConnector connector;

    /** Remembers the argv of every start (to prove secrets never reach a command line). */
    static final class RecordingSandbox implements Sandbox {
        final Sandbox inner;
        final List<List<String>> argvs = Collections.synchronizedList(new ArrayList<>());

        RecordingSandbox(Sandbox inner) {
            this.inner = inner;
        }

        @Override
        public ExecResult run(ExecSpec spec, OutputSink sink) {
            return inner.run(spec, sink);
        }

        @Override
        public Interactive start(ExecSpec spec) {
            return inner.start(spec);
        }

        @Override
        public Interactive startWithStderr(ExecSpec spec) {
            argvs.add(spec.argv());
            return inner.startWithStderr(spec);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    @BeforeAll
    static void start() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", ex -> {
            registrySeen.add(ex.getRequestURI().toString());
            byte[] b = ("registry-ok " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        registry.start();
        http = McpHttpTestServer.start();
        egress = new EgressLog(null, 100);
        EgressPolicy.Resolver names = host -> switch (host) {
            case "mcp.invalid", "registry.invalid" -> new InetAddress[] {InetAddress.getLoopbackAddress()};
            default -> throw new java.net.UnknownHostException(host);
        };
        proxy = new EgressProxy(dir.resolve("sockets"), new HostGate(HostAllowlist.none(), false, names, "TEST"), egress,
                Duration.ofSeconds(5), Duration.ofSeconds(60));
        sandbox = new RecordingSandbox(new BwrapSandbox("bwrap", dir.resolve("ws"), new SandboxLimits(120, 4L << 30, 256,
                1L << 30, 1024, 8L << 20), Optional.empty(), Optional.of(BridgeLauncher.create(Optional.empty(),
                        dir.resolve("assets")))));
        McpSecrets secrets = new McpSecrets() {
            @Override
            public Optional<Map<String, String>> read(String key) {
                return switch (key) {
                    case "stdio-test" -> Optional.of(Map.of("TEST_TOKEN", SECRET));
                    case "http-test" -> Optional.of(Map.of("Authorization", "Bearer " + SECRET));
                    default -> Optional.empty();
                };
            }

            @Override
            public String describe() {
                return "the test's table";
            }
        };
        connector = new SdkMcpConnector(sandbox, new SessionRegistry(dir.resolve("ws"), 10), SandboxContext.NONE, proxy,
                names, secrets, new SdkMcpConnector.Settings(Duration.ofMinutes(10), Duration.ofMinutes(5), 1 << 20,
                        "test"));
    }

    @AfterAll
    static void stop() {
        http.close();
        registry.stop(0);
        proxy.close();
    }

    static McpServerSpec stdio(String name, List<String> allowedHosts) {
        return new McpServerSpec(name, new McpServerSpec.Stdio(McpStdioTestServer.command(), Map.of("PLAIN", "plain-v"),
                List.of("TEST_TOKEN"), allowedHosts), "stdio-test");
    }

    static McpServerSpec httpSpec(String name, String url) {
        return new McpServerSpec(name, new McpServerSpec.Http(URI.create(url), Map.of("X-Plain", "plain-h"),
                List.of("Authorization")), "http-test");
    }

    static String text(McpCallResult r) {
        return r.content().stream().filter(c -> c instanceof McpContent.Text).map(c -> ((McpContent.Text) c).text())
                .reduce("", String::concat);
    }

    @Test
    void stdioServerInTheSandboxListsAndCallsToolsWithEveryKindOfContent() {
        int p = registry.getAddress().getPort();
        try (McpConnection c = connector.connect("s-stdio", stdio("local", List.of("127.0.0.1:" + p)), T)) {
            McpListing l = c.list(T);
            assertThat(l.serverInfo()).contains("codetether-stdio-test-server");
            McpTool echo = l.tools().stream().filter(t -> t.name().equals("echo")).findFirst().orElseThrow();
            assertEquals("local", echo.server());
            assertEquals(Boolean.TRUE, echo.readOnlyHint());
            assertThat(echo.inputSchemaJson()).contains("\"text\"").contains("\"required\"");
            assertNull(l.tools().stream().filter(t -> t.name().equals("write_note")).findFirst().orElseThrow()
                    .readOnlyHint(), "no annotation = not known to be read-only");

            assertEquals("echo: hi there", text(c.call("echo", Map.of("text", "hi there"), T)));
            McpCallResult sum = c.call("add", Map.of("a", 2, "b", 40), T);
            assertEquals("42", text(sum));
            assertEquals("{\"sum\":42}", sum.structuredJson());

            McpCallResult pic = c.call("picture", Map.of(), T);
            assertEquals(new McpContent.Image("image/png", McpTestTools.PNG_BASE64), pic.content().get(0));
            McpCallResult doc = c.call("document", Map.of(), T);
            assertEquals(List.of(new McpContent.Resource("test://doc/readme", "text/markdown", "# Readme\nhello", null),
                    new McpContent.Resource("test://doc/blob", "application/octet-stream", null, "AAEC"),
                    new McpContent.ResourceLink("test://doc/spec", "spec", null, "the spec", "text/plain")), doc.content());

            McpCallResult failed = c.call("fail", Map.of(), T);
            assertTrue(failed.toolError());
            assertEquals("the tool failed on purpose", text(failed));

            // environment: plain and secret values arrive, the secret never in any argv
            assertEquals("plain-v", text(c.call("env", Map.of("name", "PLAIN"), T)));
            assertEquals(SECRET, text(c.call("env", Map.of("name", "TEST_TOKEN"), T)));
            assertTrue(sandbox.argvs.stream().flatMap(List::stream).noneMatch(a -> a.contains(SECRET)));
            assertEquals("null", text(c.call("env", Map.of("name", "VAULT_TOKEN"), T)), "no service environment inside");

            // its own egress: the allowed registry by exact address, nothing else
            assertEquals("status=200 registry-ok /allowed", text(c.call("fetch",
                    Map.of("url", "http://127.0.0.1:" + p + "/allowed"), T)));
            assertThat(text(c.call("fetch", Map.of("url", "http://registry.invalid:" + p + "/named"), T)))
                    .contains("status=403").contains("not on the allowlist");
            assertFalse(registrySeen.contains("/named"));
            assertTrue(egress.recent("s-stdio").stream().anyMatch(e -> e.host().equals("registry.invalid") && e.refused()));

            // a JSON-RPC error from the server (unknown tool) is a clear refusal
            ToolException unknown = assertThrows(ToolException.class, () -> c.call("nope", Map.of(), T));
            assertThat(unknown.getMessage()).contains("MCP server 'local' refused tools/call 'nope'");
        }
    }

    @Test
    void withoutAllowedHostsAStdioServerHasNoNetwork() {
        int p = registry.getAddress().getPort();
        try (McpConnection c = connector.connect("s-nonet", stdio("nonet", List.of()), T)) {
            McpCallResult r = c.call("fetch", Map.of("url", "http://127.0.0.1:" + p + "/nonet"), T);
            assertTrue(r.toolError(), text(r));
            assertThat(text(r)).contains("fetch failed");
            assertFalse(registrySeen.contains("/nonet"));
        }
    }

    @Test
    void aCrashingServerIsReportedAtOnceWithItsExitCodeAndStderr() {
        McpConnection c = connector.connect("s-crash", stdio("crashy", List.of()), T);
        long t0 = System.nanoTime();
        ToolException e = assertThrows(ToolException.class, () -> c.call("crash", Map.of(), T));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // it died with the call in flight: the call is cut off, not refused (issue 19)
        assertEquals(ToolException.Code.INTERRUPTED, e.code());
        assertThat(e.getMessage()).contains("did not complete and was not run again");
        assertThat(e.getMessage()).contains("MCP server 'crashy'").contains("exited with code 3")
                .contains("tools/call 'crash'").contains("crashing on purpose");
        assertTrue(ms < 20_000, "reported when it died, not after the 60 s timeout: " + ms + " ms");
        assertFalse(c.alive());
        c.close();
    }

    @Test
    void aServerThatDiesBeforeTheHandshakeOrNeverAnswersIsAClearError() {
        var dies = new McpServerSpec("dies", new McpServerSpec.Stdio(List.of("/bin/sh", "-c",
                "echo 'cannot find config' >&2; exit 4"), Map.of(), List.of(), List.of()), null);
        ToolException e = assertThrows(ToolException.class, () -> connector.connect("s-dies", dies, T));
        assertThat(e.getMessage()).contains("MCP server 'dies'").contains("exited with code 4")
                .contains("cannot find config").contains("initialize");

        var missing = new McpServerSpec("missing", new McpServerSpec.Stdio(List.of("no-such-mcp-server"), Map.of(),
                List.of(), List.of()), null);
        ToolException m = assertThrows(ToolException.class, () -> connector.connect("s-dies", missing, T));
        assertThat(m.getMessage()).contains("exited with code 127").contains("no-such-mcp-server");

        var silent = new McpServerSpec("silent", new McpServerSpec.Stdio(List.of("/bin/sleep", "600"), Map.of(),
                List.of(), List.of()), null);
        long t0 = System.nanoTime();
        ToolException h = assertThrows(ToolException.class, () -> connector.connect("s-dies", silent,
                Duration.ofSeconds(2)));
        assertEquals(ToolException.Code.TIMEOUT, h.code());
        assertThat(h.getMessage()).contains("MCP server 'silent' did not answer the MCP handshake (initialize) within 2000 ms");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
    }

    @Test
    void aHangingToolTimesOutAndTheServerStaysUsable() {
        try (McpConnection c = connector.connect("s-hang", stdio("hangs", List.of()), T)) {
            long t0 = System.nanoTime();
            ToolException e = assertThrows(ToolException.class, () -> c.call("hang", Map.of(), Duration.ofSeconds(2)));
            assertEquals(ToolException.Code.TIMEOUT, e.code());
            assertThat(e.getMessage()).contains("MCP server 'hangs' did not answer tools/call 'hang' within 2000 ms");
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 6_000);
            // the server still answers pings (only the tool hangs), so it is kept
            assertEquals("echo: after", text(c.call("echo", Map.of("text", "after"), T)));
            assertTrue(c.alive());
        }
    }

    @Test
    void streamableHttpServerThroughTheEgressProxyWithSecretHeaders() {
        try (McpConnection c = connector.connect("s-http", httpSpec("remote", http.url()), T)) {
            McpListing l = c.list(T);
            assertThat(l.serverInfo()).contains("codetether-http-test-server");
            assertTrue(l.tools().stream().anyMatch(t -> t.name().equals("picture")));
            assertEquals("echo: over http", text(c.call("echo", Map.of("text", "over http"), T)));
            assertEquals(new McpContent.Image("image/png", McpTestTools.PNG_BASE64),
                    c.call("picture", Map.of(), T).content().get(0));
            assertTrue(http.headers.get("authorization").contains("Bearer " + SECRET));
            assertTrue(http.headers.get("x-plain").contains("plain-h"));
            // it went through the proxy: recorded as the session's egress, pinned to the checked address
            assertTrue(egress.recent("s-http").stream().anyMatch(e -> e.port() == http.port() && !e.refused()));
        }
    }

    @Test
    void httpDestinationsAreCheckedBeforeAnyConnection() {
        int before = http.headers.getOrDefault("x-plain", List.of()).size();
        // a name that resolves to loopback is an internal address the url does not name as a literal
        ToolException internal = assertThrows(ToolException.class, () -> connector.connect("s-http2",
                httpSpec("byname", "https://mcp.invalid:" + http.port() + "/mcp"), T));
        assertEquals(ToolException.Code.EGRESS_REFUSED, internal.code());
        assertThat(internal.getMessage()).contains("resolves to 127.0.0.1").contains("internal");
        ToolException plain = assertThrows(ToolException.class, () -> connector.connect("s-http2",
                httpSpec("plain", "http://mcp.invalid:" + http.port() + "/mcp"), T));
        assertThat(plain.getMessage()).contains("plain http is allowed only to an address the url names as an IP literal");
        ToolException unresolved = assertThrows(ToolException.class, () -> connector.connect("s-http2",
                httpSpec("nowhere", "https://nowhere.invalid/mcp"), T));
        assertThat(unresolved.getMessage()).contains("does not resolve");
        assertEquals(before, http.headers.getOrDefault("x-plain", List.of()).size(), "no request reached the server");
    }

    @Test
    void aStoppedHttpServerIsAClearErrorWithinTheTimeout() throws Exception {
        McpHttpTestServer doomed = McpHttpTestServer.start();
        McpConnection c = connector.connect("s-http3", httpSpec("doomed", doomed.url()), T);
        assertEquals("echo: x", text(c.call("echo", Map.of("text", "x"), T)));
        doomed.close();
        long t0 = System.nanoTime();
        ToolException e = assertThrows(ToolException.class, () -> c.call("echo", Map.of("text", "y"),
                Duration.ofSeconds(10)));
        assertThat(e.getMessage()).contains("MCP server 'doomed'");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 11_000);
        c.close();
    }

    @Test
    void thePoolStartsLazilyReusesRestartsAndClosesIdleServers() {
        AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        try (McpPool pool = new McpPool(connector, clock, Duration.ofMinutes(5), 2, 10)) {
            McpServerSpec spec = stdio("pooled", List.of());
            assertEquals(0, pool.size());
            int starts = sandbox.argvs.size();
            McpConnection first = pool.use("s-pool", spec, T, c -> c);
            assertSame(first, pool.use("s-pool", spec, T, c -> c), "reused, not started again");
            assertEquals(starts + 1, sandbox.argvs.size());

            // the server dies: the next use starts a fresh one
            assertThrows(ToolException.class, () -> pool.use("s-pool", spec, T, c -> c.call("crash", Map.of(), T)));
            McpConnection second = pool.use("s-pool", spec, T, c -> c);
            assertNotSame(first, second);
            assertEquals("echo: again", text(pool.use("s-pool", spec, T, c -> c.call("echo", Map.of("text", "again"), T))));

            // a changed spec replaces the server
            McpServerSpec changed = new McpServerSpec("pooled", new McpServerSpec.Stdio(McpStdioTestServer.command(),
                    Map.of("PLAIN", "other"), List.of(), List.of()), null);
            assertEquals("other", text(pool.use("s-pool", changed, T, c -> c.call("env", Map.of("name", "PLAIN"), T))));
            assertFalse(second.alive());

            // limits per session
            pool.use("s-pool", stdio("second", List.of()), T, c -> c);
            ToolException tooMany = assertThrows(ToolException.class, () -> pool.use("s-pool", stdio("third", List.of()),
                    T, c -> c));
            assertThat(tooMany.getMessage()).contains("max-servers-per-session");

            // idle closing
            McpConnection idle = pool.use("s-pool", changed, T, c -> c);
            now.addAndGet(Duration.ofMinutes(6).toMillis());
            assertEquals(2, pool.reapIdle());
            assertEquals(0, pool.size());
            assertFalse(idle.alive());

            // closing the session closes its servers
            McpConnection again = pool.use("s-pool", spec, T, c -> c);
            assertEquals(1, pool.closeSession("s-pool"));
            assertFalse(again.alive());
        }
    }
}
