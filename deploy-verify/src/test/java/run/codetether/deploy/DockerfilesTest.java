package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The images the chart runs agree with it: port, non-root uid, bubblewrap in tools, CUDA only for the router. */
class DockerfilesTest {
    private static final Map<String, String> MODULES = Map.of(
            "gateway", "gateway-service", "agent", "agent-service", "router", "router-service",
            "swarm", "swarm-service", "tools", "tools-service");

    @Test
    void everyServiceImageMatchesTheChart() throws IOException {
        int uid = Sources.chartDefault().deployment("gateway").at("/spec/template/spec/securityContext/runAsUser").asInt();
        for (var e : MODULES.entrySet()) {
            List<Path> files = List.of(dockerfile(e.getValue(), "Dockerfile.jvm"));
            if (e.getKey().equals("router")) {
                files = List.of(files.getFirst(), dockerfile(e.getValue(), "Dockerfile.cuda"));
            }
            for (Path f : files) {
                String text = Files.readString(f);
                assertEquals(String.valueOf(PlatformInvariantsTest.SERVICES.get(e.getKey())), group(text, "(?m)^EXPOSE (\\d+)"), f + ": port");
                assertEquals(uid + ":" + uid, group(text, "(?m)^USER (\\S+)"), f + ": runs as the chart's non-root uid");
                assertTrue(text.contains("target/quarkus-app/quarkus-run.jar") || text.contains("/deployments/quarkus-run.jar"), f.toString());
                assertTrue(text.contains("DJL_OFFLINE=true") && text.contains("OPT_OUT_TRACKING=true"), f + ": no call-home");
                assertEquals(e.getKey().equals("tools"), text.contains("bubblewrap"), f + ": bubblewrap only in tools");
                if (e.getKey().equals("tools")) {
                    // workspaces (git, ssh), the egress bridge (socat) and the toolchains the sandbox runs
                    for (String pkg : List.of(" git ", "openssh-client", "socat", "openjdk-21-jdk-headless", " maven ",
                            " nodejs ", " npm ", "python3-pip")) {
                        assertTrue(text.contains(pkg), f + ": tools image installs" + pkg);
                    }
                }
                // the services that serve gRPC do it on a server of their own (docs/operations.md "GOAWAY")
                String grpc = Map.of("gateway", " 9080", "router", " 9082", "tools", " 9084").getOrDefault(e.getKey(), "");
                assertTrue(text.contains("\nEXPOSE " + PlatformInvariantsTest.SERVICES.get(e.getKey()) + grpc + "\n"),
                        f + ": HTTP and its own gRPC port");
                assertEquals(f.toString().endsWith(".cuda"), text.contains("nvidia/cuda"), f + ": CUDA base only in .cuda");
            }
        }
        for (String module : MODULES.values()) {
            assertEquals(module.equals("router-service"), Files.exists(dockerfile(module, "Dockerfile.cuda")), module);
        }
    }

    @Test
    void imageRepositoriesInTheChartNameTheModules() {
        Manifests m = Sources.chartDefault();
        MODULES.forEach((component, module) -> {
            String image = m.deployment(component).at("/spec/template/spec/containers/0/image").asText();
            assertTrue(image.startsWith("codetether/" + module + ":"), image);
        });
        String gpuImage = Sources.chartAllFeatures().deployment("router").at("/spec/template/spec/containers/0/image").asText();
        assertTrue(gpuImage.contains("router-service-cuda:"), gpuImage);
        assertFalse(gpuImage.contains("//"), gpuImage);
    }

    private static Path dockerfile(String module, String name) {
        return RepoPaths.root().resolve(module).resolve("src/main/docker").resolve(name);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
