package run.codetether.tools.infra.mcp;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.exec.SandboxExtras;
import run.codetether.tools.domain.mcp.McpConnection;
import run.codetether.tools.domain.mcp.McpConnector;
import run.codetether.tools.domain.mcp.McpSecrets;
import run.codetether.tools.domain.mcp.McpServerSpec;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.domain.net.IpLiterals;
import run.codetether.tools.infra.egress.EgressProxy;

/**
 * Starts MCP servers the way every command here runs. A stdio server is a command in the session's sandbox (its
 * workspace writable, the root read-only, its git directory read-only) whose only network is its own egress proxy
 * socket with the server's allowlist (none when the list is empty); its environment arrives over stdin. A streamable
 * HTTP server is reached by the SDK's JDK-HTTP-client transport through a loopback listener of the same egress proxy,
 * whose allowlist is exactly the URL's host and port: the name is resolved once, internal addresses are refused
 * unless the URL names that IP literal, and the proxy connects to the checked address (no rebinding). Secret values
 * (env, headers) come from {@link McpSecrets} and never appear in an argv, a log or a message.
 */
public final class SdkMcpConnector implements McpConnector {

    /**
     * @param maxLifetime a stdio server is killed after this long even while in use (the pool restarts it)
     * @param requestTimeout the SDK's own request timeout (a backstop: calls have their own, shorter deadlines)
     * @param maxMessageChars the longest JSON-RPC line a stdio server may send
     */
    public record Settings(Duration maxLifetime, Duration requestTimeout, int maxMessageChars, String version) {}

    /** The platform's mapper (nesting bounded, unknown fields ignored), writing nulls as the SDK and callers built them. */
    private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(
            run.codetether.platform.json.Json.writingNulls());

    private final Sandbox sandbox;
    private final SessionRegistry sessions;
    private final SandboxContext context;
    private final EgressProxy proxy;
    private final EgressPolicy.Resolver resolver;
    private final McpSecrets secrets;
    private final Settings settings;

    public SdkMcpConnector(Sandbox sandbox, SessionRegistry sessions, SandboxContext context, EgressProxy proxy,
            EgressPolicy.Resolver resolver, McpSecrets secrets, Settings settings) {
        this.sandbox = sandbox;
        this.sessions = sessions;
        this.context = context;
        this.proxy = proxy;
        this.resolver = resolver;
        this.secrets = secrets;
        this.settings = settings;
    }

    @Override
    public McpConnection connect(String sessionId, McpServerSpec spec, Duration timeout) {
        return switch (spec.transport()) {
            case McpServerSpec.Stdio s -> stdio(sessionId, spec, s, timeout);
            case McpServerSpec.Http h -> http(sessionId, spec, h, timeout);
        };
    }

    private static String scope(McpServerSpec spec) {
        return "mcp:" + spec.name();
    }

    private McpConnection stdio(String sessionId, McpServerSpec spec, McpServerSpec.Stdio s, Duration timeout) {
        Map<String, String> env = new LinkedHashMap<>(s.env());
        env.putAll(McpSecrets.fields(secrets, spec, s.secretEnv()));
        Path ws = sessions.get(sessionId).paths().root();
        try {
            Files.createDirectories(ws);
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot create the workspace of session " + sessionId + ": "
                    + e.getMessage());
        }
        Optional<Path> socket = Optional.empty();
        if (!s.allowedHosts().isEmpty()) {
            HostGate gate = new HostGate(HostAllowlist.of(s.allowedHosts()), false, resolver,
                    "the allowed hosts of MCP server '" + spec.name() + "'");
            socket = Optional.of(proxy.socketFor(sessionId, scope(spec), gate));
        }
        SandboxExtras base = context.extrasFor(sessionId);
        List<String> argv = new ArrayList<>(SandboxStdioTransport.ENV_READER);
        argv.addAll(s.argv());
        ExecSpec exec = new ExecSpec(argv, ws, ws, settings.maxLifetime(), 0,
                new SandboxExtras(base.readOnlyBinds(), socket));
        Sandbox.Interactive process;
        try {
            process = sandbox.startWithStderr(exec);
        } catch (RuntimeException e) {
            proxy.close(sessionId, scope(spec));
            if (e instanceof ToolException te) {
                throw new ToolException(te.code(), "MCP server '" + spec.name() + "' cannot start: " + te.getMessage());
            }
            throw new ToolException(Code.UNAVAILABLE, "MCP server '" + spec.name() + "' cannot start: " + e.getMessage());
        }
        SandboxStdioTransport transport = new SandboxStdioTransport(process, JSON, env, spec.name(),
                settings.maxMessageChars());
        transport.start();
        return SdkMcpConnection.open(spec, transport, transport, () -> proxy.close(sessionId, scope(spec)), timeout,
                settings.requestTimeout(), settings.version());
    }

    private McpConnection http(String sessionId, McpServerSpec spec, McpServerSpec.Http h, Duration timeout) {
        URI url = h.url();
        String host = HostAllowlist.normalize(url.getHost());
        int port = h.port();
        if (url.getScheme().equalsIgnoreCase("http") && !IpLiterals.isLiteral(host)) {
            throw new ToolException(Code.EGRESS_REFUSED, "MCP server '" + spec.name() + "': plain http is allowed only to"
                    + " an address the url names as an IP literal; use https://" + url.getRawAuthority()
                    + url.getRawPath());
        }
        String entry = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        HostGate gate = new HostGate(HostAllowlist.of(List.of(entry)), false, resolver,
                "the url of MCP server '" + spec.name() + "'");
        // refuse before any client exists, with the gate's own sentence; the proxy checks again on every connection
        if (gate.check(host, port) instanceof HostGate.Refused r) {
            throw new ToolException(Code.EGRESS_REFUSED, "MCP server '" + spec.name() + "': " + r.message());
        }
        Map<String, String> headers = new LinkedHashMap<>(h.headers());
        headers.putAll(McpSecrets.fields(secrets, spec, h.secretHeaders()));
        InetSocketAddress via = proxy.loopbackFor(sessionId, scope(spec), gate);
        HttpClient.Builder client = HttpClient.newBuilder().proxy(ProxySelector.of(via))
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (url.getScheme().equalsIgnoreCase("http")) {
            // the proxy serves one plain-http request per connection; no h2c upgrade through it
            client.version(HttpClient.Version.HTTP_1_1);
        }
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String endpoint = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        HttpClientStreamableHttpTransport transport;
        try {
            transport = HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).clientBuilder(client)
                    .jsonMapper(JSON).connectTimeout(timeout)
                    .httpRequestCustomizer((builder, method, uri, body, ctx) -> headers.forEach(builder::setHeader))
                    .build();
        } catch (RuntimeException e) {
            proxy.close(sessionId, scope(spec));
            throw new ToolException(Code.INVALID_ARGUMENT, "MCP server '" + spec.name() + "': " + e.getMessage());
        }
        return SdkMcpConnection.open(spec, transport, null, () -> proxy.close(sessionId, scope(spec)), timeout,
                settings.requestTimeout(), settings.version());
    }
}
