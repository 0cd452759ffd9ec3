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

    /**
     * The socket found to be this process's listener by the last probe that had to scan {@code /proc/self/fd}: while
     * the port's LISTEN entry still names it, the scan is skipped (a socket's inode is not reused while the socket
     * lives, so another program's listener has another). The watch probes every 2 s for the gateway's whole life.
     */
    private static volatile String confirmed;

    static ListenerOwner ofPort(int port) {
        try {
            Set<String> listening = new HashSet<>();
            for (Path table : TABLES) {
                if (Files.isReadable(table)) {
                    listening.addAll(listeningInodes(Files.readAllLines(table), port));
                }
            }
            if (listening.isEmpty() || !Files.isDirectory(SELF_FD)) {
                return UNKNOWN;
            }
            String known = confirmed;
            if (known != null && listening.contains(known)) {
                return THIS_PROCESS;
            }
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(SELF_FD)) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (listening.contains(target)) {
                            confirmed = target;
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

    /**
     * The sockets ({@code socket:[inode]}, as {@code /proc/self/fd} links name them) in LISTEN on {@code port} among
     * the lines of a {@code /proc/net/tcp} table. Fields are split by hand: a busy host lists thousands of
     * connections, and a regular-expression split of every line was most of the watch's cost.
     */
    static Set<String> listeningInodes(List<String> lines, int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        Set<String> out = new HashSet<>();
        String[] f = new String[10];
        for (String line : lines) {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            if (fields(line, f) == f.length && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                out.add("socket:[" + f[9] + "]");
            }
        }
        return out;
    }

    /** Fills {@code into} with the line's first whitespace-separated fields; returns how many it found. */
    private static int fields(String line, String[] into) {
        int n = 0;
        int i = 0;
        int len = line.length();
        while (n < into.length) {
            while (i < len && line.charAt(i) <= ' ') {
                i++;
            }
            if (i == len) {
                break;
            }
            int start = i;
            while (i < len && line.charAt(i) > ' ') {
                i++;
            }
            into[n++] = line.substring(start, i);
        }
        return n;
    }
}
