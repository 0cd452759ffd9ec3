package run.codetether.tools.infra.git;

import java.util.Optional;
import java.util.function.Function;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretException;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.tools.domain.git.GitCredential;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;

/**
 * A git host's credential, the platform secret {@code git:<host>}: from Vault KV v2 at {@code <mount>/<path>/<host>}
 * (default secret/codetether/git/<host>), else from the local secrets file's {@code git} object (found by the
 * platform's path rule). Fields (both places): {@code token} (https; {@code api_key} is the same), optional
 * {@code username} (default x-access-token), or {@code ssh_key} (an OpenSSH private key) with optional
 * {@code known_hosts}. Read on every use (a rotated token works at once); values are never logged or put into a
 * message.
 */
public final class StoredGitCredentials implements GitCredentials {
    private final SecretSource secrets;

    /** @param secrets Vault (when configured), then the secrets file: {@link SecretSource#firstOf} */
    public StoredGitCredentials(SecretSource secrets) {
        this.secrets = secrets;
    }

    @Override
    public Optional<GitCredential> forHost(String host) {
        Optional<Secret> secret;
        try {
            secret = secrets.read(SecretName.git(host));
        } catch (SecretException e) {
            throw new WorkspaceException(Code.AUTH_FAILED, "cannot read the git credential of " + host + ": "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a host that cannot be a secret name (e.g. a bracketed IPv6 literal) has none
        }
        return secret.flatMap(s -> credential(f -> s.field(f).orElse(null), "the secret git:" + host + " ("
                + secrets.describe() + ")"));
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
