package run.codetether.tools.domain.mcp;

import java.util.Map;
import java.util.Optional;
import run.codetether.tools.domain.ToolException;

/**
 * The fields of an MCP server's secret ({@code mcp:<key>}): Vault first, then the local secrets file (port; infra
 * implements it). Values never reach a log, a message or a result.
 */
public interface McpSecrets {

    /**
     * @return the secret's fields, empty when no store has it
     * @throws ToolException UNAVAILABLE when a configured store cannot be read
     */
    Optional<Map<String, String>> read(String key);

    /** Where secrets are looked up, for messages ("Vault http://... then file /..."). */
    String describe();

    /** Where the secret {@code mcp:<key>} is looked up, path included, for the message when it is missing. */
    default String describe(String key) {
        return describe();
    }

    McpSecrets NONE = new McpSecrets() {
        @Override
        public Optional<Map<String, String>> read(String key) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "no secret store";
        }
    };

    /**
     * The values for {@code names} from the server's secret, by name.
     *
     * @throws ToolException INVALID_ARGUMENT naming the missing secret or field
     */
    static Map<String, String> fields(McpSecrets secrets, McpServerSpec spec, java.util.List<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, String> secret = secrets.read(spec.secretKey()).orElseThrow(() -> ToolException.invalid(
                "MCP server '" + spec.name() + "' needs the secret mcp:" + spec.secretKey() + " (fields "
                        + String.join(", ", names) + "), but " + secrets.describe(spec.secretKey()) + " has none"));
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String n : names) {
            String v = secret.get(n);
            if (v == null || v.isBlank()) {
                throw ToolException.invalid("MCP server '" + spec.name() + "': the secret mcp:" + spec.secretKey()
                        + " (" + secrets.describe(spec.secretKey()) + ") has no field '" + n + "'");
            }
            if (v.indexOf('\0') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw ToolException.invalid("MCP server '" + spec.name() + "': the field '" + n + "' of the secret mcp:"
                        + spec.secretKey() + " contains a line break or NUL");
            }
            out.put(n, v);
        }
        return out;
    }
}
