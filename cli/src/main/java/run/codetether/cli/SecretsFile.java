package run.codetether.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The local provider-key store used when no Vault is configured (the local stack): a JSON file
 * {@code {"providers": {"<name>": {"api_key": "..."}}}} with mode 0600 in a 0700 folder outside the repository.
 * Same layout as a Vault KV secret at {@code codetether/providers/<name>}.
 */
final class SecretsFile {
    private final Path file;
    private final ObjectMapper json = new ObjectMapper();

    SecretsFile(Path file) {
        this.file = file;
    }

    static Path defaultPath() {
        String explicit = System.getenv("CODETETHER_SECRETS_FILE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String config = System.getenv("XDG_CONFIG_HOME");
        Path base = config != null && !config.isBlank() ? Path.of(config) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("codetether").resolve("secrets.json");
    }

    Path path() {
        return file;
    }

    void put(String provider, String apiKey) throws IOException {
        ObjectNode root = read();
        ObjectNode providers = root.with("providers");
        providers.putObject(provider).put("api_key", apiKey);
        write(root);
    }

    boolean remove(String provider) throws IOException {
        ObjectNode root = read();
        boolean removed = root.with("providers").remove(provider) != null;
        if (removed) {
            write(root);
        }
        return removed;
    }

    List<String> providers() throws IOException {
        List<String> names = new ArrayList<>();
        Iterator<String> it = read().with("providers").fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private ObjectNode read() throws IOException {
        if (!Files.exists(file)) {
            return json.createObjectNode();
        }
        return (ObjectNode) json.readTree(file.toFile());
    }

    private void write(ObjectNode root) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = Files.createTempFile(dir, ".secrets", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
