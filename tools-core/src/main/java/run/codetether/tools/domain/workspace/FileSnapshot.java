package run.codetether.tools.domain.workspace;

import java.nio.file.Path;

/** A file's content before a change; {@code before == null} means the file did not exist. */
public record FileSnapshot(Path path, byte[] before) {}
