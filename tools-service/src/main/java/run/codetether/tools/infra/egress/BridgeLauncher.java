package run.codetether.tools.infra.egress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a sandboxed command gets to the egress proxy: bubblewrap binds the session's proxy socket (and, for the Java
 * bridge, its class and a Maven settings file) under {@value #DIR}, a bash prelude starts the bridge on the
 * sandbox's own 127.0.0.1:{@value #PORT}, waits until it listens (without a busy loop: a timed read on the bridge's
 * silent stdout), then execs the command; the proxy variables of every common tool point at the bridge. The bridge
 * is socat when the host has it, else {@link SandboxBridge} run by this service's own java.
 */
public final class BridgeLauncher {

    /** Where the egress files appear inside the sandbox (its /tmp is a private tmpfs). */
    public static final String DIR = "/tmp/.codetether-egress";
    public static final int PORT = 3128;
    static final String SOCKET = DIR + "/proxy.sock";
    static final String SETTINGS = DIR + "/maven-settings.xml";
    static final String CLASSES = DIR + "/bridge";

    private final Optional<Path> socat;
    private final String java;
    private final Path assets;

    private BridgeLauncher(Optional<Path> socat, String java, Path assets) {
        this.socat = socat;
        this.java = java;
        this.assets = assets;
    }

    /**
     * @param socat the socat executable, empty to use the Java bridge
     * @param assetDir a host directory for the bridge class and the Maven settings (made here)
     */
    public static BridgeLauncher create(Optional<Path> socat, Path assetDir) {
        try {
            Path classes = assetDir.resolve("bridge");
            Path target = classes.resolve(SandboxBridge.class.getName().replace('.', '/') + ".class");
            Files.createDirectories(target.getParent());
            try (InputStream in = SandboxBridge.class.getResourceAsStream("SandboxBridge.class")) {
                if (in == null) {
                    throw new IllegalStateException("SandboxBridge.class is not on the class path");
                }
                Files.write(target, in.readAllBytes());
            }
            Files.writeString(assetDir.resolve("maven-settings.xml"), mavenSettings(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the egress bridge files to " + assetDir + ": " + e.getMessage(), e);
        }
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        return new BridgeLauncher(socat, java, assetDir);
    }

    public String describe() {
        return socat.map(p -> "socat (" + p + ")").orElse("the Java bridge (" + java + ")");
    }

    /** bubblewrap arguments that bind the session's socket and the bridge files read-only. */
    public List<String> binds(Path socket) {
        List<String> a = new ArrayList<>(List.of("--ro-bind", socket.toString(), SOCKET, "--ro-bind",
                assets.resolve("maven-settings.xml").toString(), SETTINGS));
        if (socat.isEmpty()) {
            a.addAll(List.of("--ro-bind", assets.resolve("bridge").toString(), CLASSES));
        }
        return a;
    }

    /** The proxy variables (every spelling curl, the JVM, Maven, npm, yarn and pip read); NO_PROXY stays empty. */
    public static Map<String, String> environment() {
        String url = "http://127.0.0.1:" + PORT;
        String jvm = "-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=" + PORT + " -Dhttps.proxyHost=127.0.0.1"
                + " -Dhttps.proxyPort=" + PORT + " -Dhttp.nonProxyHosts=";
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
                "npm_config_proxy", "npm_config_https_proxy", "YARN_HTTP_PROXY", "YARN_HTTPS_PROXY", "PIP_PROXY",
                "CODETETHER_EGRESS_PROXY")) {
            env.put(k, url);
        }
        env.put("NO_PROXY", "");
        env.put("no_proxy", "");
        env.put("npm_config_noproxy", "");
        env.put("JAVA_TOOL_OPTIONS", jvm);
        env.put("MAVEN_OPTS", jvm);
        env.put("MAVEN_ARGS", "--global-settings " + SETTINGS);
        return env;
    }

    /**
     * The argv in front of the command: bash starts the bridge (its stdout is a pipe the prelude reads with a
     * timeout, so waiting costs no CPU and a bridge that dies is noticed at once), polls /proc/net/tcp for the
     * listening socket, closes the pipe and execs the command ("$@").
     */
    public List<String> prelude() {
        String bridge = socat.map(p -> "exec " + quote(p.toString()) + " TCP-LISTEN:" + PORT + ",bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:"
                + SOCKET).orElse("unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS; exec " + quote(java) + " -XX:TieredStopAtLevel=1"
                        + " -XX:+UseSerialGC -XX:-UsePerfData -XX:ActiveProcessorCount=1 -Xss256k -Xms4m -Xmx24m"
                        + " -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=32m -XX:CompressedClassSpaceSize=16m"
                        + " -Xshare:auto -Djava.net.preferIPv4Stack=true -cp " + CLASSES + " " + SandboxBridge.class.getName() + " " + PORT + " " + SOCKET);
        String hexPort = String.format("%04X", PORT);
        // the bridge never reads the command's stdin (an MCP server's protocol stream comes through it)
        String script = "exec 3< <(" + bridge + " </dev/null)\n"
                + "up() { local sl a r s rest; for t in /proc/net/tcp /proc/net/tcp6; do while read -r sl a r s rest; do"
                + " [[ ( $a == 0100007F:" + hexPort + " || $a == 0000000000000000FFFF00000100007F:" + hexPort
                + " ) && $s == 0A ]] && return 0; done < $t; done; return 1; }\n"
                + "n=0\n"
                + "until up; do\n"
                + "  read -r -t 0.005 -u 3 _; rc=$?\n"
                + "  if [ $rc -eq 1 ]; then echo 'codetether: the egress bridge exited before it listened' >&2; exit 125; fi\n"
                + "  n=$((n+1)); if [ $n -gt 3000 ]; then echo 'codetether: the egress bridge did not listen within 15 s' >&2; exit 125; fi\n"
                + "done\n"
                + "exec 3<&-\n"
                + "exec \"$@\"\n";
        return List.of("/bin/bash", "-c", script, "codetether-egress");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String mavenSettings() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- codetether: every download of Maven in the sandbox goes through the egress proxy -->
                <settings>
                  <proxies>
                    <proxy><id>codetether-egress-http</id><active>true</active><protocol>http</protocol>
                      <host>127.0.0.1</host><port>%d</port></proxy>
                    <proxy><id>codetether-egress-https</id><active>true</active><protocol>https</protocol>
                      <host>127.0.0.1</host><port>%d</port></proxy>
                  </proxies>
                </settings>
                """.formatted(PORT, PORT);
    }
}
