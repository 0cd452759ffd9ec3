package run.codetether.platform.secrets;

/**
 * Where a secret lives in Vault KV v2, below the mount: provider keys at {@code <providersPath>/<provider>} (the
 * original's {@code VAULT_SECRETS_PATH}, default {@value #DEFAULT_PROVIDERS_PATH}), every other namespace beside it:
 * {@code codetether/git/<host>}, {@code codetether/mcp/<server>}. One layout for every service's Vault adapter, so
 * what one service reads at a path, all read there.
 */
public record KvLayout(String providersPath) {
    public static final String DEFAULT_PROVIDERS_PATH = "codetether/providers";

    public KvLayout {
        providersPath = providersPath == null || providersPath.isBlank() ? DEFAULT_PROVIDERS_PATH
                : providersPath.strip().replaceAll("^/+|/+$", "");
    }

    /** The KV path (below the mount) of one secret. */
    public String path(SecretName name) {
        if (name.namespace().equals(SecretName.PROVIDERS)) {
            return providersPath + "/" + name.key();
        }
        int slash = providersPath.lastIndexOf('/');
        String root = slash < 0 ? "" : providersPath.substring(0, slash + 1);
        return root + name.namespace() + "/" + name.key();
    }
}
