package run.codetether.tools.domain.git;

import java.util.Optional;

/** Where a host's git credential comes from (Vault, then the local secrets file). Port; infra implements it. */
public interface GitCredentials {

    /** The credential for {@code host} (lower-case name or literal), or empty when there is none. */
    Optional<GitCredential> forHost(String host);

    static GitCredentials none() {
        return host -> Optional.empty();
    }
}
