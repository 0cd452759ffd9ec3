package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Failure;
import run.codetether.gateway.support.binding.Params;
import run.codetether.gateway.support.binding.Result;

/**
 * A tenant binding changed while the gateway runs (docs/a2a.md "Tenants", test application.properties: the
 * bindings file {@code target/test-tenant-bindings.properties}, re-read every 100 ms; hotswap-bot has no configured
 * entry): the key gains a tenant and loses it again with no restart, and the change reaches every door at once (one
 * binding behind one guard): once one door sees it, the others do on their very next call.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class TenantBindingReloadTest {
    static final String HOTSWAP = "test-key-hotswap-bot-4";
    static final Path FILE = Path.of("target/test-tenant-bindings.properties");

    @BeforeAll
    static void worker() {
        ScriptedWorker.shared(); // the accepted tasks run on the stand-in worker
    }

    @AfterEach
    void removeFile() throws IOException {
        Files.deleteIfExists(FILE);
    }

    @Test
    void aKeyGainsAndLosesATenantOnEveryDoorWhenTheBindingsFileChanges() throws IOException {
        List<Binding> doors = Conformance.withTenants().toList();
        assertTrue(doors.size() >= 3, "JSON-RPC, HTTP+JSON and gRPC at least: " + doors);
        Files.deleteIfExists(FILE);
        refusedEverywhere(doors, "hot");

        write("tenants.hotswap-bot=hot\n");
        acceptedEverywhere(doors, "hot");

        write("# moved to cold\ntenants.hotswap-bot=cold\n");
        refusedEverywhere(doors, "hot");
        acceptedEverywhere(doors, "cold");
    }

    static void write(String text) throws IOException {
        Path tmp = Files.writeString(FILE.resolveSibling(FILE.getFileName() + ".tmp"), text);
        Files.move(tmp, FILE, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE); // as a ConfigMap update lands: whole, at once
    }

    static Result send(Binding door, String tenant) {
        ObjectNode params = Params.returnImmediately(Params.send("echo hot swap " + UUID.randomUUID()));
        params.put("tenant", tenant);
        return door.as(HOTSWAP).call(Operation.SEND, params);
    }

    /** Waits until the first door applies the change; every other door must then agree at once. */
    static void acceptedEverywhere(List<Binding> doors, String tenant) {
        Await.until(() -> send(doors.get(0), tenant), r -> r.failure() == null, Duration.ofSeconds(20),
                doors.get(0) + " accepting tenant " + tenant);
        for (Binding door : doors) {
            send(door, tenant).ok();
        }
    }

    static void refusedEverywhere(List<Binding> doors, String tenant) {
        Await.until(() -> send(doors.get(0), tenant), r -> r.failure() != null, Duration.ofSeconds(20),
                doors.get(0) + " refusing tenant " + tenant);
        for (Binding door : doors) {
            Failure f = send(door, tenant).fails("PERMISSION_DENIED");
            assertTrue(f.message().contains("client 'hotswap-bot' is not bound to tenant '" + tenant + "'"),
                    door + ": " + f.message());
        }
    }
}
