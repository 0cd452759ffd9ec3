package run.codetether.cli.mcp;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.BuildInfo;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;

/**
 * {@code codetether mcp serve}: the gateway's MCP tools over stdio, for MCP clients that only start local commands.
 * Stdout carries MCP JSON-RPC and nothing else: {@code System.out} is pointed at stderr before serving starts,
 * and the SDK logs to stderr. It connects to the gateway first, so a wrong URL or key is a one-line error on stderr
 * and a non-zero exit, not a server that lists nothing; it ends when the client closes stdin.
 */
@Command(name = "serve", description = "Serve the gateway's MCP tools (codetether_run, ...) over stdio: "
        + "a proxy to the gateway's /mcp with this CLI's --url and --api-key. Ends when stdin closes.")
public final class McpServeCommand implements Callable<Integer> {
    @ParentCommand
    McpCommand mcp;

    @Option(names = "--server", paramLabel = "URL", description = "The gateway (default: --url, CODETETHER_URL, "
            + "config.toml, http://localhost:8080/); its MCP endpoint is /mcp.")
    String server;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Longest wait for the gateway at start-up (default ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--call-timeout", paramLabel = "MINUTES", defaultValue = "65",
            description = "Longest wait for one forwarded call; codetether_run waits for its task (default ${DEFAULT-VALUE}).")
    int callTimeout;

    @Override
    public Integer call() throws Exception {
        CodetetherCli root = mcp.root();
        URI endpoint = endpoint(server != null && !server.isBlank() ? server : root.gatewayUrl());
        GatewayMcpProxy proxy;
        try {
            proxy = GatewayMcpProxy.connect(endpoint, root.apiKey(), Duration.ofSeconds(Math.max(1, connectTimeout)),
                    Duration.ofMinutes(Math.max(1, callTimeout)), BuildInfo.version());
        } catch (GatewayMcpException e) {
            root.err().println("codetether: " + e.getMessage());
            root.err().flush();
            return e.kind.exitCode;
        }
        OutputStream mcpOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err); // from here on a stray println must never corrupt the protocol stream
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try (proxy) {
            proxy.serve(new EndAware(System.in, closed), mcpOut, BuildInfo.version());
            root.err().println("codetether: serving " + proxy.tools().size() + " MCP tools of " + endpoint
                    + " on stdio");
            root.err().flush();
            closed.join();
        }
        return ExitCodes.OK;
    }

    /** The gateway's MCP endpoint: {@code /mcp} on the gateway's origin, unless the URL already names it. */
    public static URI endpoint(String gateway) {
        URI u = URI.create(gateway.strip());
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException("not a gateway URL: " + gateway);
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (path.endsWith("/mcp") || path.endsWith("/mcp/")) {
            return URI.create(u.getScheme() + "://" + u.getRawAuthority() + path.replaceAll("/$", ""));
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + "/mcp");
    }

    /** Stdin that tells when the client closed it (the MCP stdio transport's end of session). */
    private static final class EndAware extends FilterInputStream {
        private final CompletableFuture<Void> closed;

        EndAware(InputStream in, CompletableFuture<Void> closed) {
            super(in);
            this.closed = closed;
        }

        @Override
        public int read() throws IOException {
            try {
                return ended(super.read());
            } catch (IOException e) {
                closed.complete(null);
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return ended(super.read(b, off, len));
            } catch (IOException e) {
                closed.complete(null);
                throw e;
            }
        }

        private int ended(int n) {
            if (n < 0) {
                closed.complete(null);
            }
            return n;
        }
    }
}
