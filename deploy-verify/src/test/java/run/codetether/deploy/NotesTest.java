package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** NOTES.txt, as `helm install` prints it: the A2A URL, the agent card and a first task, and the setup left to do. */
class NotesTest {

    private static String notes(Path... values) {
        var install = new Helm(RepoPaths.chart()).install()
                .withName(Renderer.RELEASE)
                .withNamespace(Renderer.NAMESPACE)
                .withKubeVersion(Renderer.KUBE_VERSION)
                .clientOnly()
                .dryRun();
        for (Path v : values) {
            install = install.withValuesFile(v);
        }
        Release release = install.call();
        return release.getOutput();
    }

    @Test
    void defaultNotesExplainHowToReachTheGatewayAndWhatIsLeftToDo() {
        String notes = notes();
        assertTrue(notes.contains("kubectl -n codetether port-forward svc/codetether-gateway 8080:8080"), notes);
        assertTrue(notes.contains("curl -s http://127.0.0.1:8080/.well-known/agent-card.json"), notes);
        assertTrue(notes.contains("\"method\":\"SendMessage\""), notes);
        assertTrue(notes.contains("secret/codetether/providers/<provider>"), notes);
        assertTrue(notes.contains("create the topics"), notes);
        assertTrue(notes.contains("Vault readers: codetether-gateway codetether-agent codetether-swarm (docs"), notes);
        assertTrue(notes.contains("/var/lib/kubelet/seccomp/codetether/codetether-bwrap.json"), notes);
    }

    @Test
    void ingressNotesUseThePublicHost() {
        String notes = notes(RepoPaths.testValues("all-features.yaml"));
        assertTrue(notes.contains("https://a2a.example.com/"), notes);
        assertTrue(notes.contains("curl -s https://a2a.example.com/.well-known/agent-card.json"), notes);
        assertTrue(notes.contains("router-service runs on GPU nodes (nvidia.com/gpu: 1)"), notes);
    }
}
