package run.codetether.tools.infra.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.vault.VaultTestServer;
import run.codetether.platform.json.Json;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.platform.secrets.KvLayout;
import run.codetether.platform.secrets.KvSecretSource;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.platform.secrets.SecretsFile;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.git.GitUrl;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceSource;
import run.codetether.tools.support.Git;
import run.codetether.tools.support.GitHttpsServer;
import run.codetether.tools.support.LogCapture;

/**
 * The https + credential path against {@code git http-backend} behind an HTTPS server on loopback that demands a
 * token: the name is pinned to the checked address (the certificate is for the name), the token comes from the
 * secrets file or Vault and reaches the server, and it appears in no log line, error, result, diff or file of the
 * workspace and its git directory.
 */
class GitHttpsCredentialsTest {

    static final String HOST = "git.allowed.invalid";
    static final String USER = "ci-bot";
    static final String TOKEN = "tok_" + UUID.randomUUID().toString().replace("-", "");

    @TempDir
    static Path servers;

    static GitHttpsServer https;

    @TempDir
    Path root;

    @BeforeAll
    static void serve() throws Exception {
        Git.project(servers, "project");
        https = GitHttpsServer.start(servers, Files.createDirectories(servers.resolve("tls")), HOST, USER, TOKEN);
    }

    @AfterAll
    static void stop() {
        https.close();
    }

    String url() {
        return "https://" + HOST + ":" + https.port() + "/project.git";
    }

    GitWorkspaces workspaces(GitCredentials credentials) {
        // the name resolves to loopback, so the allowlist must name that exact address and port too
        return Workspaces.create(root, Workspaces.gate(List.of(HOST, "127.0.0.1:" + https.port()), false,
                Map.of(HOST, "127.0.0.1")), credentials, 1 << 20, Optional.of(https.caPem()));
    }

    /** The platform's secrets file with the host's entry, as the services and the CLI write it. */
    FileSecretSource secretsFile(Map<String, String> entry) {
        Path f = root.resolve("cfg/codetether/secrets.json");
        new SecretsFile(f).put(SecretName.git(HOST), entry);
        return new FileSecretSource(f);
    }

    @Test
    void cloneAndPushWithTheSecretsFileTokenWhichLeaksNowhere() throws Exception {
        var creds = new StoredGitCredentials(secretsFile(Map.of("token", TOKEN, "username", USER)));
        GitWorkspaces w = workspaces(creds);
        List<String> seen = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            https.requests().clear();
            var p = w.prepare("h1", new WorkspaceSource.Git(GitUrl.parse(url()), "main", null, false), false);
            seen.add(p.toString());
            assertTrue(https.requests().stream().anyMatch(GitHttpsServer.Request::authorized), "the token was used");
            Path ws = Workspaces.ws(root, "h1");
            Files.writeString(ws.resolve("feature.txt"), "by the agent\n");
            var c = w.changes("h1");
            seen.add(new String(c.diff(), StandardCharsets.UTF_8));
            seen.add(c.stats().toString());
            var pushed = w.push("h1", "codetether/https", "agent change", null, Optional.empty());
            seen.add(pushed.toString());
            assertEquals(pushed.commit(), Git.run(servers.resolve("project.git"), "rev-parse",
                    "refs/heads/codetether/https").strip());
            // a failing call's error must not carry it either
            var e = assertThrows(WorkspaceException.class, () -> w.push("h1", "codetether/https", "m", null,
                    Optional.of("https://" + USER + ":" + TOKEN + "@" + HOST + ":" + https.port() + "/missing.git")));
            seen.add(e.getMessage());
            assertThat(e.getMessage()).contains("https://" + HOST + ":" + https.port() + "/missing.git");
            seen.addAll(logs.lines());
            assertFalse(logs.lines().isEmpty(), "the probe saw the service's log lines");
        }
        for (String s : seen) {
            assertFalse(s.contains(TOKEN), "token leaked into: " + s);
        }
        for (Path dir : List.of(Workspaces.ws(root, "h1"), w.gitDir("h1"), root.resolve("ws/.codetether-state"),
                root.resolve("git-home"))) {
            assertNoToken(dir);
        }
        assertFalse(Files.exists(root.resolve("keys")) && Files.list(root.resolve("keys")).findAny().isPresent(),
                "no credential file is left behind");
    }

    @Test
    void aTokenInTheUrlIsUsedForThatCallAndNeverStored() throws Exception {
        GitWorkspaces w = workspaces(GitCredentials.none());
        String withToken = "https://" + USER + ":" + TOKEN + "@" + HOST + ":" + https.port() + "/project.git";
        var p = w.prepare("inline", new WorkspaceSource.Git(GitUrl.parse(withToken), "", null, false), false);
        assertEquals(url(), p.workspace().source());
        assertFalse(p.toString().contains(TOKEN));
        assertNoToken(root.resolve("ws"));
    }

    @Test
    void withoutACredentialTheErrorSaysWhereToPutOne() {
        GitWorkspaces w = workspaces(GitCredentials.none());
        var e = assertThrows(WorkspaceException.class, () -> w.prepare("none", new WorkspaceSource.Git(GitUrl.parse(url()),
                "", null, false), false));
        assertEquals(Code.AUTH_FAILED, e.code(), e.getMessage());
        assertThat(e.getMessage()).contains("secret/codetether/git/<host>").contains("codetether auth add git:<host>");

        String wrong = "https://" + USER + ":wrong-" + TOKEN + "@" + HOST + ":" + https.port() + "/project.git";
        var bad = assertThrows(WorkspaceException.class, () -> w.prepare("wrong", new WorkspaceSource.Git(
                GitUrl.parse(wrong), "", null, false), false));
        assertEquals(Code.AUTH_FAILED, bad.code());
        assertFalse(bad.getMessage().contains(TOKEN), bad.getMessage());
    }

    @Test
    void theTokenComesFromVaultFirst() throws Exception {
        try (VaultTestServer vault = VaultTestServer.start("root-token")) {
            vault.put("secret", "codetether/git/" + HOST, Map.of("token", TOKEN, "username", USER));
            var creds = new StoredGitCredentials(SecretSource.firstOf(List.of(new KvSecretSource(kv(vault, "root-token"),
                    new KvLayout(KvLayout.DEFAULT_PROVIDERS_PATH).withPath(SecretName.GIT, "codetether/git"),
                    vault.address()), secretsFile(Map.of("token", "file-token-that-is-wrong")))));
            GitWorkspaces w = workspaces(creds);
            https.requests().clear();
            w.prepare("vault", new WorkspaceSource.Git(GitUrl.parse(url()), "", null, false), false);
            assertTrue(https.requests().stream().anyMatch(GitHttpsServer.Request::authorized));
            assertTrue(vault.calls().stream().anyMatch(c -> c.path().contains("codetether/git/" + HOST)));
            // no secret in Vault for a host: the file's entry is the fallback
            assertTrue(creds.forHost("other.invalid").isEmpty());
        }
    }

    @Test
    void aWorldReadableSecretsFileIsRefused() throws Exception {
        secretsFile(Map.of("token", TOKEN));
        Path f = root.resolve("cfg/codetether/secrets.json");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        var creds = new StoredGitCredentials(new FileSecretSource(f));
        var e = assertThrows(WorkspaceException.class, () -> creds.forHost(HOST));
        assertThat(e.getMessage()).contains("chmod 600");
        assertEquals(Code.AUTH_FAILED, e.code());
    }

    /** KV v2 reads over plain HTTP, as quarkus-vault does (the service wires the Quarkus client instead). */
    static KvSecretSource.KvReader kv(VaultTestServer vault, String token) {
        HttpClient http = HttpClient.newHttpClient();
        return path -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(vault.address() + "/v1/secret/data/"
                        + path)).header("X-Vault-Token", token).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 404) {
                    throw new IllegalStateException("HTTP 404");
                }
                JsonNode data = Json.mapper().readTree(r.body()).path("data").path("data");
                Map<String, String> out = new HashMap<>();
                data.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
                return out;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static void assertNoToken(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        byte[] needle = TOKEN.getBytes(StandardCharsets.UTF_8);
        try (var walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(f);
                String s = new String(b, StandardCharsets.ISO_8859_1);
                assertFalse(s.contains(new String(needle, StandardCharsets.ISO_8859_1)), "token found in " + f);
            }
        }
    }
}
