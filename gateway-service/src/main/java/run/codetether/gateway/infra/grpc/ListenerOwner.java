package run.codetether.gateway.infra.grpc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whose socket listens on a TCP port, from Linux's {@code /proc}: the inodes of the LISTEN entries of
 * {@code /proc/net/tcp} and {@code tcp6} for the port, against the sockets among this process's open files
 * ({@code /proc/self/fd}). {@link #UNKNOWN} where {@code /proc} cannot tell (not Linux, not readable): the caller keeps
 * what a connect said.
 */
enum ListenerOwner {
    THIS_PROCESS, OTHER, UNKNOWN;

    private static final Path SELF_FD = Path.of("/proc/self/fd");
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String LISTEN = "0A";

    static ListenerOwner ofPort(int port) {
        try {
            Set<String> listening = new HashSet<>();
            String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
            for (Path table : TABLES) {
                if (!Files.isReadable(table)) {
                    continue;
                }
                for (String line : Files.readAllLines(table)) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                    if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                        listening.add("socket:[" + f[9] + "]");
                    }
                }
            }
            if (listening.isEmpty() || !Files.isDirectory(SELF_FD)) {
                return UNKNOWN;
            }
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(SELF_FD)) {
                for (Path fd : fds) {
                    try {
                        if (listening.contains(Files.readSymbolicLink(fd).toString())) {
                            return THIS_PROCESS;
                        }
                    } catch (IOException | UnsupportedOperationException closedMeanwhile) {
                        // an fd closed while listed (the listing's own among them): not the listener
                    }
                }
            }
            return OTHER;
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }
}
