package run.codetether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The launcher and the packaged CLI copied into a folder of their own (the launcher keeps its caches beside itself,
 * so a test's frames and request caches never touch the checkout's), and a JDK whose {@code java} is a script the
 * test writes: its version (99) makes the launcher choose it over every installed JDK.
 */
final class LauncherCopy {
    private LauncherCopy() {}

    /** {@code dir/codetether} and {@code dir/cli/target/cli-*-runner.jar}, copied from the checkout; returns dir. */
    static Path launcherWithCli(Path dir) throws IOException {
        Path repo = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        Files.createDirectories(dir.resolve("cli/target"));
        Files.copy(repo.resolve("codetether"), dir.resolve("codetether"));
        Path jar;
        try (Stream<Path> files = Files.list(repo.resolve("cli/target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("cli-.*-runner\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("cli/target/cli-*-runner.jar is missing: package cli first"));
        }
        Files.copy(jar, dir.resolve("cli/target").resolve(jar.getFileName()));
        return dir;
    }

    /**
     * A JDK at {@code dir} whose javac is the real one and whose java is {@code javaScript} (a /bin/sh script; "%s"
     * in it is the real java's path, quoted by the caller); returns dir.
     */
    static Path fakeJdk(Path dir, String javaScript) throws IOException {
        Path real = Path.of(System.getProperty("java.home"));
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"99\"\n");
        Path javac = dir.resolve("bin/javac");
        Files.writeString(javac, "#!/bin/sh\nexec '" + real.resolve("bin/javac") + "' \"$@\"\n");
        Path java = dir.resolve("bin/java");
        Files.writeString(java, javaScript.formatted(real.resolve("bin/java")));
        for (Path p : List.of(java, javac)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }
}
