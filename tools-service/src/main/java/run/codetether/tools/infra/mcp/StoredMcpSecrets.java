package run.codetether.tools.infra.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.mcp.McpSecrets;
import run.codetether.tools.infra.git.LocalSecretsFile;

/**
 * An MCP server's secret from Vault KV v2 at {@code <mount>/<path>/<key>} (default secret/codetether/mcp/<key>), else
 * the local secrets file entry {@code mcp:<key>}; every string field of the secret is one value (field name = env var
 * or header name). Read on every start of a server (a rotated secret is used by the next start).
 */
public final class StoredMcpSecrets implements McpSecrets {

    private final Function<String, Map<String, String>> vault;
    private final String vaultWhere;
    private final String vaultPath;
    private final LocalSecretsFile file;

    /** @param vault reads one KV path below the mount (null: no Vault); absent = null or an exception with "404" */
    public StoredMcpSecrets(Function<String, Map<String, String>> vault, String vaultWhere, String vaultPath,
            LocalSecretsFile file) {
        this.vault = vault;
        this.vaultWhere = vaultWhere;
        this.vaultPath = vaultPath.replaceAll("^/+|/+$", "");
        this.file = file;
    }

    @Override
    public Optional<Map<String, String>> read(String key) {
        return fromVault(key).or(() -> fromFile(key));
    }

    @Override
    public String describe() {
        return (vault == null ? "" : "Vault " + vaultWhere + " at " + vaultPath + "/<key>, then ")
                + (file == null ? "no secrets file" : "the secrets file " + file.path());
    }

    private Optional<Map<String, String>> fromVault(String key) {
        if (vault == null) {
            return Optional.empty();
        }
        String path = vaultPath + "/" + key;
        Map<String, String> data;
        try {
            data = vault.apply(path);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("404")) {
                return Optional.empty();
            }
            throw new ToolException(ToolException.Code.UNAVAILABLE, "cannot read the MCP secret " + path + " from Vault "
                    + vaultWhere + ": " + e.getClass().getSimpleName()
                    + (msg.contains("403") ? " (permission denied: check the service's Vault role)" : ""));
        }
        return data == null || data.isEmpty() ? Optional.empty() : Optional.of(Map.copyOf(data));
    }

    private Optional<Map<String, String>> fromFile(String key) {
        if (file == null) {
            return Optional.empty();
        }
        Optional<JsonNode> entry;
        try {
            entry = file.entry("mcp:" + key);
        } catch (IllegalStateException e) {
            throw new ToolException(ToolException.Code.UNAVAILABLE, e.getMessage());
        }
        return entry.map(n -> {
            Map<String, String> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(f -> {
                if (f.getValue().isTextual()) {
                    m.put(f.getKey(), f.getValue().asText());
                }
            });
            return m;
        }).filter(m -> !m.isEmpty());
    }
}
