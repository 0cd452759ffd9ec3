package run.codetether.tools.infra.git;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import run.codetether.tools.domain.git.GitCredential;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;

/**
 * A git host's credential from Vault KV v2 at {@code <mount>/<path>/<host>} (default secret/codetether/git/<host>),
 * else from the local secrets file entry {@code git:<host>}. Fields (both places): {@code token} (https; the file's
 * {@code api_key}, as {@code codetether auth add git:<host>} writes it, is the same), optional {@code username}
 * (default x-access-token), or {@code ssh_key} (an OpenSSH private key) with optional {@code known_hosts}. Read on
 * every use (a rotated token works at once); values are never logged or put into a message.
 */
public final class StoredGitCredentials implements GitCredentials {

    /** Reads one KV v2 secret below the mount; null or an exception whose message has "404" when absent. */
    public interface KvReader extends Function<String, Map<String, String>> {}

    private final KvReader vault;
    private final String vaultWhere;
    private final String vaultPath;
    private final LocalSecretsFile file;

    /**
     * @param vault null when no Vault is configured
     * @param vaultWhere the Vault address and mount, for error messages
     */
    public StoredGitCredentials(KvReader vault, String vaultWhere, String vaultPath, LocalSecretsFile file) {
        this.vault = vault;
        this.vaultWhere = vaultWhere;
        this.vaultPath = vaultPath.replaceAll("^/+|/+$", "");
        this.file = file;
    }

    @Override
    public Optional<GitCredential> forHost(String host) {
        return fromVault(host).or(() -> fromFile(host));
    }

    private Optional<GitCredential> fromVault(String host) {
        if (vault == null) {
            return Optional.empty();
        }
        String path = vaultPath + "/" + host;
        Map<String, String> data;
        try {
            data = vault.apply(path);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("404")) {
                return Optional.empty();
            }
            throw new WorkspaceException(Code.AUTH_FAILED, "cannot read the git credential " + path + " from Vault "
                    + vaultWhere + ": " + e.getClass().getSimpleName()
                    + (msg.contains("403") ? " (permission denied: check the service's Vault role)" : ""));
        }
        return data == null ? Optional.empty() : credential(data::get, "Vault " + path);
    }

    private Optional<GitCredential> fromFile(String host) {
        if (file == null) {
            return Optional.empty();
        }
        Optional<JsonNode> entry;
        try {
            entry = file.entry("git:" + host);
        } catch (IllegalStateException e) {
            throw new WorkspaceException(Code.AUTH_FAILED, e.getMessage());
        }
        return entry.flatMap(n -> credential(k -> n.path(k).isTextual() ? n.path(k).asText() : null,
                "secrets file entry git:" + host));
    }

    private static Optional<GitCredential> credential(Function<String, String> field, String where) {
        String key = blankToNull(field.apply("ssh_key"));
        if (key != null) {
            return Optional.of(new GitCredential.SshKey(key, field.apply("known_hosts")));
        }
        String token = blankToNull(field.apply("token"));
        if (token == null) {
            token = blankToNull(field.apply("api_key"));
        }
        if (token == null) {
            throw new WorkspaceException(Code.AUTH_FAILED, where + " has neither token nor ssh_key");
        }
        String user = blankToNull(field.apply("username"));
        return Optional.of(new GitCredential.Token(user == null ? "x-access-token" : user, token));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
