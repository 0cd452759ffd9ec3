package run.codetether.platform.secrets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a secret lives in Vault KV v2, below the mount: provider keys at {@code <providersPath>/<provider>} (the
 * original's {@code VAULT_SECRETS_PATH}, default {@value #DEFAULT_PROVIDERS_PATH}), every other namespace beside it
 * ({@code codetether/git/<host>}, {@code codetether/mcp/<server>}) unless a service configures its own folder for
 * one ({@link #withPath}). One layout for every service's Vault adapter, so what one service reads at a path, all
 * read there.
 *
 * @param paths folder per namespace that is not beside the providers' (normalized, no leading or trailing slash)
 */
public record KvLayout(String providersPath, Map<String, String> paths) {
    public static final String DEFAULT_PROVIDERS_PATH = "codetether/providers";

    public KvLayout {
        providersPath = normalize(providersPath);
        if (providersPath.isEmpty()) {
            providersPath = DEFAULT_PROVIDERS_PATH;
        }
        Map<String, String> copy = new LinkedHashMap<>();
        paths.forEach((ns, path) -> copy.put(ns, normalize(path)));
        paths = Map.copyOf(copy);
    }

    public KvLayout(String providersPath) {
        this(providersPath, Map.of());
    }

    /** The same layout with {@code namespace}'s secrets at {@code path/<key>} (e.g. a configured git folder). */
    public KvLayout withPath(String namespace, String path) {
        Map<String, String> m = new LinkedHashMap<>(paths);
        m.put(namespace, path);
        return new KvLayout(providersPath, m);
    }

    /** The KV path (below the mount) of one secret. */
    public String path(SecretName name) {
        String folder = paths.get(name.namespace());
        if (folder != null && !folder.isEmpty()) {
            return folder + "/" + name.key();
        }
        if (name.namespace().equals(SecretName.PROVIDERS)) {
            return providersPath + "/" + name.key();
        }
        int slash = providersPath.lastIndexOf('/');
        String root = slash < 0 ? "" : providersPath.substring(0, slash + 1);
        return root + name.namespace() + "/" + name.key();
    }

    private static String normalize(String path) {
        return path == null ? "" : path.strip().replaceAll("^/+|/+$", "");
    }
}
