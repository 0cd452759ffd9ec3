package run.codetether.platform.secrets;

import java.util.regex.Pattern;

/**
 * The name of one secret: a namespace and a key inside it. Each namespace is one object of the secrets file and
 * one folder of Vault KV (see {@link KvLayout}):
 * <ul>
 *   <li>{@value #PROVIDERS}: an LLM provider's credentials by provider name ({@code api_key}; bedrock
 *       {@code aws_access_key_id}, {@code aws_secret_access_key}, {@code aws_region});</li>
 *   <li>{@value #GIT}: credentials for a git host, by host name and optional port ({@code username},
 *       {@code password} or {@code token});</li>
 *   <li>{@value #MCP}: the HTTP headers of an MCP server, by server name (field name = header name).</li>
 * </ul>
 * The text form is {@code namespace:key} ({@code git:github.com}); a bare key is a provider name.
 */
public record SecretName(String namespace, String key) {
    public static final String PROVIDERS = "providers";
    public static final String GIT = "git";
    public static final String MCP = "mcp";

    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    /** A key becomes a Vault path segment: no slash, no dot-dot, no control characters, no spaces. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,252}");

    public SecretName {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("a secret namespace is lower-case letters, digits and '-': " + namespace);
        }
        if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("a secret key is letters, digits and . _ : @ + - (no '/', no '..'): "
                    + key);
        }
    }

    public static SecretName provider(String name) {
        return new SecretName(PROVIDERS, name);
    }

    public static SecretName git(String host) {
        return new SecretName(GIT, host);
    }

    public static SecretName mcp(String server) {
        return new SecretName(MCP, server);
    }

    /** {@code git:github.com} or a bare provider name ({@code anthropic}). */
    public static SecretName parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a secret name is required");
        }
        int colon = text.indexOf(':');
        return colon < 0 ? provider(text) : new SecretName(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return namespace + ":" + key;
    }
}
