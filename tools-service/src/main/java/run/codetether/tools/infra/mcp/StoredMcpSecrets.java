package run.codetether.tools.infra.mcp;

import java.util.Map;
import java.util.Optional;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretException;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.mcp.McpSecrets;

/**
 * An MCP server's secret {@code mcp:<key>} through the platform's one secrets rule: Vault KV v2 (default
 * {@code secret/codetether/mcp/<key>}), then the local secrets file (entry {@code mcp:<key>}). Every field is one
 * value (field name = env var or header name). Read on every start of a server, so a rotated secret is used by the
 * next start.
 */
public final class StoredMcpSecrets implements McpSecrets {

    private final SecretSource secrets;
    private final java.util.function.UnaryOperator<String> where;

    public StoredMcpSecrets(SecretSource secrets) {
        this(secrets, key -> secrets.describe());
    }

    /** @param where where the secret of a key is looked up, Vault path included (for the message when missing) */
    public StoredMcpSecrets(SecretSource secrets, java.util.function.UnaryOperator<String> where) {
        this.secrets = secrets;
        this.where = where;
    }

    @Override
    public Optional<Map<String, String>> read(String key) {
        try {
            return secrets.read(SecretName.mcp(key)).map(Secret::fields);
        } catch (SecretException e) {
            throw new ToolException(ToolException.Code.UNAVAILABLE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ToolException.invalid("MCP secret key '" + key + "': " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return secrets.describe();
    }

    @Override
    public String describe(String key) {
        return where.apply(key);
    }
}
