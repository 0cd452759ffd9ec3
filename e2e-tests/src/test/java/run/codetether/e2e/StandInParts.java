package run.codetether.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/**
 * Small programs where a launcher copy expects the packaged services, the broker and the CLI: each service answers
 * the launcher's readiness check on its HTTP port (and holds its gRPC port), the broker holds its port, SIGTERM stops
 * them. The launcher tests test the launcher (start, stop, caches, supervisor), not the services' boot.
 */
final class StandInParts {
    private StandInParts() {}

    static final String PART_SOURCE = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            import java.net.ServerSocket;
            public class FakePart {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(System.getProperty("quarkus.http.port"));
                    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    http.createContext("/q/health/ready", x -> {
                        byte[] body = "{\\"status\\": \\"UP\\", \\"checks\\": []}".getBytes();
                        x.sendResponseHeaders(200, body.length);
                        x.getResponseBody().write(body);
                        x.close();
                    });
                    http.start();
                    String grpc = System.getProperty("quarkus.grpc.server.port");
                    ServerSocket second = grpc == null ? null : new ServerSocket(Integer.parseInt(grpc));
                    System.out.println("ready on " + port + (second == null ? "" : " and " + grpc));
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            """;

    private static final String KAFKA_SOURCE = """
            package run.codetether.fixtures.kafka;
            public class LocalKafkaMain {
                public static void main(String[] args) throws Exception {
                    java.net.ServerSocket broker = new java.net.ServerSocket(Integer.parseInt(args[1]));
                    System.out.println("KAFKA READY");
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            """;

    /** Compiles the stand-ins into {@code root/classes} and puts them where the launcher looks under {@code root}. */
    static Path build(Path root, Collection<String> modules) throws IOException {
        Path src = Files.createDirectories(root.resolve("src/run/codetether/fixtures/kafka"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        Files.writeString(root.resolve("src/FakePart.java"), PART_SOURCE);
        Files.writeString(src.resolve("LocalKafkaMain.java"), KAFKA_SOURCE);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                root.resolve("src/FakePart.java").toString(), src.resolve("LocalKafkaMain.java").toString());
        if (rc != 0) {
            throw new IllegalStateException("compiling the stand-in parts failed: javac exit " + rc);
        }
        for (String module : modules) {
            jar(root.resolve(module + "/target/quarkus-app/quarkus-run.jar"), "FakePart", classes, "FakePart.class");
        }
        jar(root.resolve("test-fixtures/target/test-fixtures-0.jar"), null, classes,
                "run/codetether/fixtures/kafka/LocalKafkaMain.class");
        jar(root.resolve("test-fixtures/target/lib/kafka_2.13-0.jar"), null, classes);
        jar(root.resolve("cli/target/cli-0-runner.jar"), null, classes);
        return classes;
    }

    static void jar(Path jar, String main, Path classes, String... entries) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (main != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(classes.resolve(entry)));
                out.closeEntry();
            }
        }
    }
}
