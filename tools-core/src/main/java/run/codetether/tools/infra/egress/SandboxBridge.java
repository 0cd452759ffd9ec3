package run.codetether.tools.infra.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The bridge INSIDE a sandbox when socat is not installed: listens on the sandbox's own 127.0.0.1:PORT and joins each
 * connection to the egress proxy's Unix socket (bound into the sandbox). JDK only, no inner classes (its one class
 * file is copied out of the service's jar and run by the service's own java). It dies with the command: the
 * command's exit tears down the sandbox's pid namespace. Usage: {@code SandboxBridge PORT SOCKET}.
 */
public final class SandboxBridge {

    private SandboxBridge() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path socket = Path.of(args[1]);
        try (ServerSocket server = new ServerSocket(port, 64, InetAddress.getByName("127.0.0.1"))) {
            while (true) {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client, socket));
            }
        }
    }

    private static void serve(Socket client, Path socket) {
        try (client; SocketChannel up = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            Thread back = Thread.ofVirtual().start(() -> {
                try {
                    pump(Channels.newInputStream(up), client.getOutputStream());
                    client.shutdownOutput();
                } catch (IOException e) {
                    closeQuietly(client);
                }
            });
            try {
                pump(client.getInputStream(), Channels.newOutputStream(up));
                up.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(client);
            }
            back.join();
        } catch (IOException | InterruptedException e) {
            // the proxy went away or the client reset: nothing to tell anyone
        }
    }

    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
