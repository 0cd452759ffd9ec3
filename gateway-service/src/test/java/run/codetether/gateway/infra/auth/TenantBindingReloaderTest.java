package run.codetether.gateway.infra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.eclipse.microprofile.health.HealthCheckResponse;
import run.codetether.gateway.domain.TenantBinding;
import run.codetether.gateway.infra.ScheduledRunsHealthCheck;
import run.codetether.gateway.support.Await;

/** The tenant bindings file followed while the gateway runs: changes swap in whole, a broken edit changes nothing. */
class TenantBindingReloaderTest {
    final TenantBinding configured = new TenantBinding(List.of(), Map.of("acme-bot", List.of("acme")));

    @TempDir
    Path dir;

    List<String> tenantsOf(TenantBindingReloader r, String client) {
        return r.binding().get().grantOf(client).tenants();
    }

    @Test
    void aChangedFileIsAppliedABrokenOneKeepsTheBindingInForceAndARemovedOneLeavesTheConfiguredBinding()
            throws IOException {
        Path file = dir.resolve("bindings.properties");
        try (var r = new TenantBindingReloader(file, Duration.ofHours(1), configured)) { // reloaded by hand here
            assertSame(configured, r.binding().get(), "no file yet: the configured binding");
            Files.writeString(file, "tenants.acme-bot=acme,acme-eu\ntenants.new-bot=beta\n");
            r.reload();
            assertEquals(List.of("acme", "acme-eu"), tenantsOf(r, "acme-bot"));
            assertEquals(List.of("beta"), tenantsOf(r, "new-bot"));

            TenantBinding inForce = r.binding().get();
            Files.writeString(file, "tenants.acme-bot=acme\ntenants.new-bot=\n");
            r.reload();
            assertSame(inForce, r.binding().get(), "a broken edit is not applied, not even its good half");

            Files.delete(file);
            r.reload();
            assertSame(configured, r.binding().get(), "removed: the configured binding alone");
            assertEquals(List.of("default"), tenantsOf(r, "new-bot"));
        }
    }

    @Test
    void aBadFileFailsTheStartWithItsReason() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.properties"), "admin-client=ops\n");
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TenantBindingReloader(file, Duration.ofSeconds(5), configured));
        assertTrue(e.getMessage().contains("unknown key 'admin-client'") && e.getMessage().contains(file.toString()),
                e.getMessage());
    }

    @Test
    void theFileIsReReadOnItsIntervalWithoutAnyCall() throws IOException {
        Path file = Files.writeString(dir.resolve("live.properties"), "tenants.acme-bot=acme\n");
        try (var r = new TenantBindingReloader(file, Duration.ofMillis(20), configured)) {
            assertEquals(List.of("acme"), tenantsOf(r, "acme-bot"));
            Files.writeString(file, "tenants.acme-bot=globex\n");
            Await.until(() -> tenantsOf(r, "acme-bot"), List.of("globex")::equals, Duration.ofSeconds(10),
                    "the timer applying the changed file");
        }
    }

    /**
     * Issue 19: a re-read that throws past the broken-file handling (an Error: a 3 GiB file, too large for one
     * array) ended the executor's schedule silently; now readiness is DOWN naming it, the re-reads go on, and the
     * next file is applied (UP again).
     */
    @Test
    void aReReadThatThrowsIsReadinessDownAndTheReReadsGoOn() throws IOException {
        Path file = Files.writeString(dir.resolve("huge.properties"), "tenants.acme-bot=acme\n");
        ScheduledRunsHealthCheck health = new ScheduledRunsHealthCheck();
        try (var r = new TenantBindingReloader(file, Duration.ofMillis(20), configured)) {
            health.watch(r.scheduledRun());
            assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus());
            try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(3L << 30); // sparse: no disk used, but no byte[] can hold it
            }
            String why = Await.until(() -> health.call(), h -> h.getStatus() == HealthCheckResponse.Status.DOWN,
                    Duration.ofSeconds(10), "DOWN: the re-read threw").getData().orElseThrow()
                    .get("tenant-bindings-file").toString();
            assertTrue(why.contains("OutOfMemoryError"), why);
            assertEquals(List.of("acme"), tenantsOf(r, "acme-bot"), "the binding in force stays");
            long runs = r.scheduledRun().runs();
            Await.until(() -> r.scheduledRun().runs(), n -> n >= runs + 3, Duration.ofSeconds(10),
                    "re-reads after the failed one");

            Files.writeString(file, "tenants.acme-bot=globex\n"); // truncates
            Await.until(() -> health.call().getStatus(), HealthCheckResponse.Status.UP::equals,
                    Duration.ofSeconds(10), "UP after a re-read that completes");
            assertEquals(List.of("globex"), tenantsOf(r, "acme-bot"));
        }
    }
}
