package run.codetether.platform.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.codetether.platform.json.Json;

/**
 * The local secrets file (the local stack, no Vault), one object per {@link SecretName#namespace()}, laid out as
 * Vault KV secrets are:
 * <pre>{"providers": {"anthropic": {"api_key": "..."}}, "git": {"github.com": {"token": "..."}}}</pre>
 * Like ssh, reading refuses a file that group or others may access (mode must be 0600 or stricter). Writing creates
 * the folder with mode 0700 and replaces the file atomically (a 0600 temp file, then a rename), so a reader sees the
 * old or the new file, never a torn one and never a moment with wider permissions. Read on every call, so an edit
 * takes effect at once. Thread-safe within one process.
 */
public final class SecretsFile {
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    /** Whether the file system has POSIX permissions (not on Windows, where the home folder is private). */
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;

    public SecretsFile(Path file) {
        this.file = file;
    }

    /** The file at {@link SecretsPath#resolve()}. */
    public static SecretsFile atDefaultPath() {
        return new SecretsFile(SecretsPath.resolve());
    }

    public Path path() {
        return file;
    }

    /** @throws SecretException when the file is open to others or not the expected JSON */
    public synchronized Optional<Secret> read(SecretName name) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        checkPrivate();
        JsonNode entry = root().path(name.namespace()).path(name.key());
        if (!entry.isObject()) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        entry.properties().forEach(f -> {
            if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                fields.put(f.getKey(), f.getValue().asText());
            }
        });
        return fields.isEmpty() ? Optional.empty() : Optional.of(new Secret(fields));
    }

    /** Stores (replaces) one secret. */
    public synchronized void put(SecretName name, Map<String, String> fields) {
        new Secret(fields); // the same rule as reading: at least one field
        ObjectNode root = existingRoot();
        ObjectNode entry = root.withObjectProperty(name.namespace()).putObject(name.key());
        fields.forEach(entry::put);
        write(root);
    }

    /** @return whether there was such a secret */
    public synchronized boolean remove(SecretName name) {
        ObjectNode root = existingRoot();
        JsonNode ns = root.get(name.namespace());
        if (!(ns instanceof ObjectNode o) || o.remove(name.key()) == null) {
            return false;
        }
        write(root);
        return true;
    }

    /** The keys stored in one namespace (never the values), in file order. */
    public synchronized List<String> keys(String namespace) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        checkPrivate();
        List<String> names = new ArrayList<>();
        root().path(namespace).fieldNames().forEachRemaining(names::add);
        return names;
    }

    private ObjectNode existingRoot() {
        if (!Files.isRegularFile(file)) {
            return Json.object();
        }
        checkPrivate();
        return root();
    }

    private ObjectNode root() {
        try {
            JsonNode root = Json.mapper().readTree(file.toFile());
            if (root instanceof ObjectNode o) {
                return o;
            }
            if (root == null || root.isMissingNode()) {
                return Json.object(); // an empty file
            }
        } catch (IOException e) {
            // falls through: the message must not echo file content (it may hold a key)
        }
        throw new SecretException("secrets file " + file + " is not valid JSON (expected {\"providers\": "
                + "{\"<name>\": {\"api_key\": \"...\"}}})");
    }

    private void checkPrivate() {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new SecretException("secrets file " + file + " is accessible by other users; run: chmod 600 "
                        + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new SecretException("cannot check permissions of " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(ObjectNode root) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, posix(DIR_MODE));
            }
            Path tmp = Files.createTempFile(dir, ".secrets", ".tmp", posix(FILE_MODE));
            try {
                Files.write(tmp, Json.pretty().writeValueAsBytes(root));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SecretException("cannot write secrets file " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] posix(Set<PosixFilePermission> mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }
}
