package run.codetether.tools.infra.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.SandboxExtras;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.SandboxLimits;

/**
 * From INSIDE the bubblewrap sandbox (own empty network namespace): curl and a JVM reach the allowed loopback
 * registry only through the bridge and the proxy; a host not on the list, 169.254.169.254 and a name that resolves
 * to 127.0.0.1 but is not allowed are refused with the proxy's reason; without egress nothing gets out at all.
 */
class SandboxEgressTest {

    @TempDir
    static Path dir;

    static FakeRegistry registry;
    static EgressProxy proxy;
    static EgressLog log;
    static Path ws;

    @BeforeAll
    static void start() throws IOException {
        registry = new FakeRegistry();
        int p = registry.port();
        HostGate gate = new HostGate(HostAllowlist.of(List.of("127.0.0.1:" + p, "registry.allowed.invalid:" + p)), false,
                EgressProxyTest.names(Map.of("registry.allowed.invalid", "127.0.0.1", "sneaky.invalid", "127.0.0.1")),
                "CODETETHER_TOOLS_EGRESS_ALLOWED_HOSTS");
        log = new EgressLog(null, 50);
        proxy = new EgressProxy(dir.resolve("sockets"), gate, log, Duration.ofSeconds(5), Duration.ofSeconds(30));
        ws = Files.createDirectories(dir.resolve("root/s1"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
    }

    static BwrapSandbox sandbox(Optional<Path> socat) {
        return new BwrapSandbox("bwrap", dir.resolve("root"), new SandboxLimits(60, 4L << 30, 256, 1L << 30, 1024,
                8L << 20), Optional.empty(), Optional.of(BridgeLauncher.create(socat, dir.resolve("assets"))));
    }

    static ExecResult run(BwrapSandbox s, String command, boolean egress) {
        ExecSpec spec = ExecSpec.shell(command, ws, ws, Duration.ofSeconds(90), 200_000);
        if (egress) {
            spec = spec.withExtras(new SandboxExtras(List.of(), Optional.of(proxy.socketFor("s1"))));
        }
        return s.run(spec, OutputSink.DISCARD);
    }

    @Test
    void curlReachesTheAllowedRegistryAndIsRefusedEverywhereElse() {
        BwrapSandbox s = sandbox(Optional.empty());
        int p = registry.port();
        ExecResult env = run(s, "env | grep -i -E 'proxy|java_tool|maven' | sort", true);
        assertThat(env.stdout()).contains("http_proxy=http://127.0.0.1:3128").contains("HTTPS_PROXY=http://127.0.0.1:3128")
                .contains("ALL_PROXY=http://127.0.0.1:3128").contains("NO_PROXY=\n").contains("no_proxy=\n")
                .contains("npm_config_https_proxy=").contains("PIP_PROXY=")
                .contains("JAVA_TOOL_OPTIONS=-Dhttp.proxyHost=127.0.0.1").contains("MAVEN_ARGS=--global-settings");

        ExecResult ok = run(s, "curl -sS --max-time 20 http://127.0.0.1:" + p + "/pkg/a.tgz", true);
        assertEquals(0, ok.exitCode(), ok.stderr());
        assertThat(ok.stdout()).contains("registry-ok GET /pkg/a.tgz");

        ExecResult tunnel = run(s, "curl -sS --max-time 20 -p http://registry.allowed.invalid:" + p + "/tunnel", true);
        assertEquals(0, tunnel.exitCode(), tunnel.stderr());
        assertThat(tunnel.stdout()).contains("registry-ok GET /tunnel host=registry.allowed.invalid:" + p);

        ExecResult notListed = run(s, "curl -sS --max-time 20 https://evil.invalid/x", true);
        assertNotEquals(0, notListed.exitCode());
        assertThat(notListed.stderr()).contains("403");
        ExecResult body = run(s, "curl -sS --max-time 20 http://evil.invalid/x", true);
        assertThat(body.stdout()).contains("codetether egress proxy: refused evil.invalid:80").contains("not on the allowlist");

        ExecResult metadata = run(s, "curl -sS --max-time 20 http://169.254.169.254/latest/meta-data/", true);
        assertThat(metadata.stdout()).contains("refused 169.254.169.254:80");

        ExecResult rebound = run(s, "curl -sS --max-time 20 http://sneaky.invalid:" + p + "/", true);
        assertThat(rebound.stdout()).contains("refused sneaky.invalid:" + p).contains("not on the allowlist");
        assertTrue(registry.seen.stream().noneMatch(l -> l.contains("sneaky") || l.contains("evil")));
        assertTrue(log.recent("s1").stream().anyMatch(e -> e.host().equals("169.254.169.254") && e.refused()));

        ExecResult noEgress = run(s, "curl -sS --max-time 5 http://127.0.0.1:" + p + "/pkg", false);
        assertNotEquals(0, noEgress.exitCode(), "without egress the sandbox has no network: " + noEgress.stdout());
    }

    @Test
    void aJvmInsideUsesTheProxyForLoopbackToo() {
        BwrapSandbox s = sandbox(Optional.empty());
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = Path.of(ProxyProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        ExecResult r = run(s, "'" + java + "' -Xmx64m -XX:TieredStopAtLevel=1 -cp '" + cp + "' "
                + ProxyProbe.class.getName() + " http://127.0.0.1:" + registry.port() + "/jvm", true);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertThat(r.stdout()).contains("status=200 usingProxy=true registry-ok GET /jvm");
    }

    @Test
    void socatBridgeWhenInstalled() {
        Optional<Path> socat = Optional.of(Path.of("/usr/bin/socat")).filter(Files::isExecutable);
        Assumptions.assumeTrue(socat.isPresent(), "socat is not installed: the Java bridge is tested instead");
        ExecResult ok = run(sandbox(socat), "curl -sS --max-time 20 http://127.0.0.1:" + registry.port() + "/socat", true);
        assertEquals(0, ok.exitCode(), ok.stderr());
        assertThat(ok.stdout()).contains("registry-ok GET /socat");
    }
}
