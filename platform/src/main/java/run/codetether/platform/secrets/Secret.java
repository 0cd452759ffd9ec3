package run.codetether.platform.secrets;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of one secret (never empty). {@link #toString()} names the fields only, so a secret that reaches a log
 * by mistake shows no value.
 */
public record Secret(Map<String, String> fields) {
    public Secret {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("a secret has at least one field");
        }
        fields = Map.copyOf(new LinkedHashMap<>(fields));
    }

    /** A non-blank field. */
    public Optional<String> field(String name) {
        String v = fields.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** The {@code api_key} field, as most providers store it. */
    public Optional<String> apiKey() {
        return field("api_key");
    }

    /** Every value, for redaction of error texts. */
    public Collection<String> values() {
        return fields.values();
    }

    @Override
    public String toString() {
        return "Secret" + fields.keySet();
    }
}
