package run.codetether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import run.codetether.platform.json.Json;

/**
 * {@code codetether auth copilot}: GitHub's OAuth device flow (RFC 8628), as the original: ask
 * {@code /login/device/code} for a user code, show it, poll {@code /login/oauth/access_token} every {@code interval}
 * seconds (plus a safety margin; {@code slow_down} adds 5 s) until the user approves, then store the token as the
 * {@code github-copilot} provider's key. The GitHub URL is configurable (GitHub Enterprise; tests use loopback).
 */
@Command(name = "copilot", description = "Log in to GitHub Copilot with the device flow and store the token.")
final class CopilotLogin implements Callable<Integer> {
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    @Spec CommandSpec spec;

    @Option(names = "--github-url", defaultValue = "${env:CODETETHER_GITHUB_URL:-https://github.com}",
            description = "GitHub base URL (env CODETETHER_GITHUB_URL; default ${DEFAULT-VALUE}).")
    String githubUrl;

    @Option(names = "--enterprise-url", description = "GitHub Enterprise domain (e.g. company.ghe.com); stores github-copilot-enterprise.")
    String enterprise;

    @Option(names = "--client-id", defaultValue = "${env:CODETETHER_COPILOT_OAUTH_CLIENT_ID}",
            description = "GitHub OAuth app client id (env CODETETHER_COPILOT_OAUTH_CLIENT_ID).")
    String clientId;

    @Option(names = "--poll-margin-ms", defaultValue = "3000", hidden = true)
    long marginMillis;

    @Option(names = "--secrets-file", hidden = true, description = "Where to store the token (default: the local secret file).")
    java.nio.file.Path secretsFile;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Integer call() throws Exception {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("a GitHub OAuth client id is needed: --client-id ID or CODETETHER_COPILOT_OAUTH_CLIENT_ID");
        }
        String base = enterprise != null ? "https://" + enterprise.replaceFirst("^https?://", "").replaceAll("/+$", "")
                : githubUrl.replaceAll("/+$", "");
        String provider = enterprise != null ? "github-copilot-enterprise" : "github-copilot";
        PrintWriter out = spec.commandLine().getOut();
        JsonNode device = post(base + "/login/device/code",
                Json.mapper().createObjectNode().put("client_id", clientId).put("scope", "read:user"));
        if (!device.hasNonNull("device_code") || !device.hasNonNull("user_code")) {
            throw new IOException("the device authorization answer lacks device_code/user_code: " + device);
        }
        out.println("GitHub Copilot device authentication");
        out.println("Open this URL: " + device.path("verification_uri_complete").asText(device.path("verification_uri").asText()));
        out.println("Enter code: " + device.path("user_code").asText());
        out.println("Waiting for authorization...");
        out.flush();
        long interval = Math.max(1, device.path("interval").asLong(5) == 0 ? 5 : device.path("interval").asLong(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(device.path("expires_in").asLong(900)).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(interval * 1000 + marginMillis);
            JsonNode answer = post(base + "/login/oauth/access_token", Json.mapper().createObjectNode()
                    .put("client_id", clientId).put("device_code", device.path("device_code").asText())
                    .put("grant_type", GRANT));
            String token = answer.path("access_token").asText("");
            if (!token.isBlank()) {
                SecretsFile file = new SecretsFile(secretsFile != null ? secretsFile : SecretsFile.defaultPath());
                file.put(provider, token);
                out.println("stored the " + provider + " token in " + file.path() + " (mode 600)");
                return ExitCodes.OK;
            }
            switch (answer.path("error").asText("authorization_pending")) {
                case "authorization_pending" -> { }
                case "slow_down" -> interval = answer.path("interval").asLong(0) > 0 ? answer.path("interval").asLong() : interval + 5;
                default -> {
                    spec.commandLine().getErr().println("codetether: Copilot login failed: " + answer.path("error").asText()
                            + " (" + answer.path("error_description").asText("no description") + ")");
                    return ExitCodes.TASK_FAILED;
                }
            }
        }
        spec.commandLine().getErr().println("codetether: the device code expired before it was approved");
        return ExitCodes.TASK_FAILED;
    }

    private JsonNode post(String url, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .header("User-Agent", "codetether/" + BuildInfo.version())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST " + url + " answered HTTP " + r.statusCode() + ": "
                    + (r.body().length() > 300 ? r.body().substring(0, 300) + "..." : r.body()));
        }
        return Json.mapper().readTree(r.body());
    }
}
