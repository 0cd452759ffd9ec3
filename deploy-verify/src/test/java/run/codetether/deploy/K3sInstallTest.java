package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Installs the chart into a real API server (k3s in Docker): the server's own admission and schema checks accept
 * every object, and the objects come back as rendered. Skipped where Docker is absent (as on the build machines);
 * the images are not pulled or run here, so this proves acceptance by the API, not running pods.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sInstallTest {
    private static final DockerImageName IMAGE = DockerImageName.parse("rancher/k3s:v1.34.1-k3s1");
    private static K3sContainer K3S;

    /** Docker without the k3s image and without a registry to pull it from is a skip, not a failure. */
    @BeforeAll
    static void startK3s() {
        assumeTrue(imageAvailable(), "Docker is present but " + IMAGE + " can neither be found nor pulled");
        K3S = new K3sContainer(IMAGE);
        K3S.start();
    }

    @AfterAll
    static void stopK3s() {
        if (K3S != null) {
            K3S.stop();
        }
    }

    private static boolean imageAvailable() {
        var docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(IMAGE.asCanonicalNameString()).exec();
            return true;
        } catch (RuntimeException notLocal) {
            try {
                return docker.pullImageCmd(IMAGE.getRepository()).withTag(IMAGE.getVersionPart())
                        .start().awaitCompletion(5, TimeUnit.MINUTES);
            } catch (RuntimeException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Test
    void chartInstallsAndTheApiServerKeepsTheHardening() throws Exception {
        Release release = new Helm(RepoPaths.chart()).install()
                .withName(Renderer.RELEASE)
                .withNamespace(Renderer.NAMESPACE)
                .createNamespace()
                .withKubeConfigContents(K3S.getKubeConfigYaml())
                .call();
        assertEquals("deployed", release.getStatus(), release.getOutput());

        List<String> deployments = lines(kubectl("get", "deployments", "-o", "name"));
        assertEquals(5, deployments.size(), deployments.toString());
        assertTrue(kubectl("get", "networkpolicy", "codetether-tools", "-o", "jsonpath={.spec.policyTypes}").contains("Egress"));
        assertEquals("Localhost", kubectl("get", "deployment", "codetether-tools", "-o",
                "jsonpath={.spec.template.spec.containers[0].securityContext.seccompProfile.type}"));
        assertEquals("true", kubectl("get", "deployment", "codetether-gateway", "-o",
                "jsonpath={.spec.template.spec.securityContext.runAsNonRoot}"));
        assertEquals("", kubectl("get", "roles,rolebindings", "-o", "name"), "the chart grants no RBAC");
    }

    private static String kubectl(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "kubectl";
        command[1] = "-n";
        command[2] = Renderer.NAMESPACE;
        System.arraycopy(args, 0, command, 3, args.length);
        ExecResult r = K3S.execInContainer(command);
        assertEquals(0, r.getExitCode(), Arrays.toString(command) + ": " + r.getStderr());
        return r.getStdout().strip();
    }

    private static List<String> lines(String s) {
        return s.isBlank() ? List.of() : List.of(s.split("\n"));
    }
}
