package run.codetether.tools.domain.git;

/**
 * A credential for one git host, as stored in Vault ({@code secret/codetether/git/<host>}) or the local secrets
 * file ({@code git:<host>}). Never logged: {@link #toString()} says only which kind it is.
 */
public sealed interface GitCredential {

    /** The secret values, for the redactor. */
    java.util.List<String> secrets();

    /** An https token (sent as the password of {@code username}). */
    record Token(String username, String token) implements GitCredential {
        @Override
        public java.util.List<String> secrets() {
            return java.util.List.of(token);
        }

        @Override
        public String toString() {
            return "Token[username=" + username + ", token=***]";
        }
    }

    /** An SSH private key (OpenSSH PEM) and optionally known_hosts lines for the host. */
    record SshKey(String privateKey, String knownHosts) implements GitCredential {
        @Override
        public java.util.List<String> secrets() {
            return java.util.List.of(privateKey);
        }

        @Override
        public String toString() {
            return "SshKey[***]";
        }
    }
}
