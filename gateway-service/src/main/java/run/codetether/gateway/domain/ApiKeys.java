package run.codetether.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The accepted API keys / bearer tokens, each belonging to a client. Comparison is constant-time; the secrets are
 * never logged or returned.
 */
public final class ApiKeys {
    private record Key(String clientId, byte[] secret) {}

    private final List<Key> keys = new ArrayList<>();

    /** @param entries {@code client:secret} or a bare secret (client named key-N) */
    public ApiKeys(List<String> entries) {
        int n = 0;
        for (String entry : entries) {
            n++;
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            String client = colon > 0 ? e.substring(0, colon) : "key-" + n;
            String secret = colon > 0 ? e.substring(colon + 1) : e;
            if (secret.length() < 8) {
                throw new IllegalArgumentException("API key of client " + client + " is shorter than 8 characters");
            }
            keys.add(new Key(client, secret.getBytes(StandardCharsets.UTF_8)));
        }
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        Caller found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.secret(), p)) {
                found = new Caller(k.clientId());
            }
        }
        return Optional.ofNullable(found);
    }
}
