package run.codetether.platform.secrets;

import java.nio.file.Path;
import java.util.Optional;

/** {@link SecretSource} over the local {@link SecretsFile}; re-reads the file on every call. */
public final class FileSecretSource implements SecretSource {
    private final SecretsFile file;

    public FileSecretSource(Path path) {
        this.file = new SecretsFile(path);
    }

    @Override
    public Optional<Secret> read(SecretName name) {
        return file.read(name);
    }

    @Override
    public String describe() {
        return "file " + file.path();
    }
}
