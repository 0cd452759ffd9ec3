package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tools-service seccomp profile shipped with the chart lets bubblewrap build its sandbox and nothing more. */
class SeccompProfileTest {
    private static final Path PROFILE = RepoPaths.chart().resolve("files/seccomp/codetether-bwrap.json");

    @Test
    void bwrapSyscallsStayAllowedAndHostControlIsDenied() throws IOException {
        JsonNode profile = Manifests.JSON.readTree(PROFILE.toFile());
        Set<String> denied = new HashSet<>();
        for (JsonNode rule : profile.path("syscalls")) {
            assertEquals("SCMP_ACT_ERRNO", rule.path("action").asText(), "rules only deny: " + rule);
            assertTrue(rule.path("args").isMissingNode(), "no argument filters: " + rule);
            rule.path("names").forEach(n -> denied.add(n.asText()));
        }
        // what bwrap --unshare-all --ro-bind / / --bind WS WS --dev /dev --proc /proc calls
        for (String needed : List.of("unshare", "clone", "clone3", "mount", "umount2", "pivot_root", "chroot",
                "sethostname", "capset", "prctl", "execve")) {
            assertTrue(!denied.contains(needed), needed + " is needed by bubblewrap");
        }
        for (String hostControl : List.of("kexec_load", "init_module", "finit_module", "delete_module", "bpf",
                "perf_event_open", "open_by_handle_at", "keyctl", "add_key", "ptrace", "setns", "reboot", "swapon",
                "syslog", "userfaultfd", "io_uring_setup", "process_vm_writev", "clock_settime", "settimeofday")) {
            assertTrue(denied.contains(hostControl), hostControl + " must be denied");
        }
    }

    @Test
    void chartDefaultPointsAtTheShippedProfile() throws IOException {
        JsonNode values = Manifests.YAML.readTree(RepoPaths.chart().resolve("values.yaml").toFile());
        String localhost = values.at("/tools/sandbox/seccompProfile/localhostProfile").asText();
        assertEquals("Localhost", values.at("/tools/sandbox/seccompProfile/type").asText());
        assertEquals(PROFILE.getFileName().toString(), Path.of(localhost).getFileName().toString(),
                "install " + PROFILE + " on the nodes as <kubelet seccomp dir>/" + localhost);
    }
}
