package run.codetether.cli;

import java.net.URI;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import run.codetether.cli.a2a.A2aClient;

/**
 * The root's global options and what follows from them (the gateway's URL, its client), in one place for the picocli
 * tree ({@link CodetetherCli}) and for {@code run}'s path without picocli
 * ({@link run.codetether.cli.command.RunFastPath}). The annotations are read only by picocli's model: the fast path
 * loads this class without loading any picocli class.
 */
public abstract class GlobalOptions implements CommandContext {
    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Gateway A2A endpoint (env CODETETHER_URL, else [a2a] server_url in config.toml, else http://localhost:8080/).")
    protected String url;

    @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "API key or bearer token for the gateway (env CODETETHER_API_KEY).",
            defaultValue = "${env:CODETETHER_API_KEY}")
    protected String apiKey = System.getenv("CODETETHER_API_KEY");

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine-readable JSON output.")
    protected boolean json;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "No colours (also env NO_COLOR).")
    protected boolean noColor;

    private A2aClient client;

    @Override
    public String gatewayUrl() {
        return GatewayUrl.resolve(url);
    }

    @Override
    public synchronized A2aClient client() {
        if (client == null) {
            client = newClient(URI.create(gatewayUrl()), apiKey);
        }
        return client;
    }

    /** The client for these options (a subclass that knows what the first call will be may prepare less). */
    protected A2aClient newClient(URI gateway, String key) {
        return new A2aClient(gateway, key);
    }

    public String apiKey() {
        return apiKey;
    }

    @Override
    public boolean json() {
        return json;
    }

    @Override
    public boolean noColor() {
        return noColor;
    }
}
