package run.codetether.gateway.domain;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The gateway's tenant bindings file (docs/a2a.md "Tenants", {@code codetether.gateway.auth.tenants-file}): the same
 * entries as the configuration, in a properties file the gateway re-reads while it runs, so a key gains or loses a
 * tenant without a restart:
 *
 * <pre>
 * tenants.acme-bot=acme
 * tenants.globex-bot=globex,globex-eu
 * admin-clients=ops
 * </pre>
 *
 * Any other key is an error (a misspelt entry must not silently leave a key unbound).
 */
public final class TenantBindingFile {
    private static final String TENANTS = "tenants.";
    private static final String ADMINS = "admin-clients";

    private TenantBindingFile() {}

    /** The file's entries: admin client ids, and each client id's tenants in order. */
    public record Entries(List<String> admins, Map<String, List<String>> tenants) {
        public static final Entries NONE = new Entries(List.of(), Map.of());

        public Entries {
            admins = List.copyOf(admins);
            tenants = Map.copyOf(tenants);
        }
    }

    /**
     * @param where the file's name, for the error message
     * @throws IllegalArgumentException what is wrong, naming the key
     */
    public static Entries parse(String text, String where) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tenant bindings file " + where + " is not a properties file: "
                    + e.getMessage(), e);
        }
        List<String> admins = new ArrayList<>();
        Map<String, List<String>> tenants = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            List<String> names = split(p.getProperty(key));
            if (key.equals(ADMINS)) {
                admins.addAll(names);
            } else if (key.startsWith(TENANTS) && key.length() > TENANTS.length()) {
                if (names.isEmpty()) {
                    throw new IllegalArgumentException("tenant bindings file " + where + ": " + key + " lists no "
                            + "tenant: name at least one, or remove the entry (the client is then bound by the "
                            + "configuration, else to tenant default)");
                }
                tenants.put(key.substring(TENANTS.length()), names);
            } else {
                throw new IllegalArgumentException("tenant bindings file " + where + ": unknown key '" + key
                        + "' (only tenants.<client-id>=<tenant>[,<tenant>...] and admin-clients=<client-id>[,...])");
            }
        }
        return new Entries(admins, tenants);
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
