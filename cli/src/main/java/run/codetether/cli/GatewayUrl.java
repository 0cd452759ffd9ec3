package run.codetether.cli;

import run.codetether.cli.config.CliConfig;

/**
 * Which gateway the CLI talks to: {@code --url}, else env {@code CODETETHER_URL}, else {@code [a2a] server_url} of
 * config.toml, else {@code http://localhost:8080/}; always with a trailing slash. Apart from {@link CodetetherCli}
 * so that the TUI's fast path resolves it without loading the command tree.
 */
public final class GatewayUrl {
    private GatewayUrl() {}

    public static String resolve(String explicit) {
        String u = explicit;
        if (u == null || u.isBlank()) {
            u = System.getenv("CODETETHER_URL");
        }
        if (u == null || u.isBlank()) {
            u = CliConfig.loadOrDefaults(CliConfig.defaultPath()).config().serverUrl();
        }
        if (u == null || u.isBlank()) {
            u = "http://localhost:8080/";
        }
        return u.endsWith("/") ? u : u + "/";
    }
}
