package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tenant bindings file's entries, and how they lie over the configured binding (docs/a2a.md "Tenants"). */
class TenantBindingFileTest {
    final TenantBinding configured = new TenantBinding(List.of("ops"),
            Map.of("acme-bot", List.of("acme"), "globex-bot", List.of("globex")));

    @Test
    void theFilesEntriesReplaceAClientsConfiguredEntryAndAddAdmins() {
        TenantBindingFile.Entries e = TenantBindingFile.parse("""
                # acme-bot moves to acme-eu; new-bot gains two tenants; ci becomes an admin
                tenants.acme-bot = acme-eu
                tenants.new-bot=beta, gamma
                admin-clients=ci
                """, "bindings.properties");
        assertEquals(Map.of("acme-bot", List.of("acme-eu"), "new-bot", List.of("beta", "gamma")), e.tenants());
        assertEquals(List.of("ci"), e.admins());

        TenantBinding live = configured.overlaidWith(e.admins(), e.tenants());
        assertEquals(List.of("acme-eu"), live.grantOf("acme-bot").tenants(), "the file's entry replaces the config's");
        assertEquals(List.of("globex"), live.grantOf("globex-bot").tenants(), "a client the file leaves out keeps its");
        assertEquals("beta", live.grantOf("new-bot").defaultTenant());
        assertTrue(live.grantOf("ci").any() && live.grantOf("ops").any(), "admins of both");
        assertEquals(5, live.clients(), "acme-bot, globex-bot, new-bot, ops, ci");
        assertEquals(List.of("acme"), configured.grantOf("acme-bot").tenants(), "the configured binding is unchanged");
    }

    @Test
    void aMisspeltKeyOrAnEntryWithoutATenantIsRefusedWithTheKey() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> TenantBindingFile.parse("tenant.acme-bot=acme\n", "f.properties"));
        assertTrue(unknown.getMessage().contains("unknown key 'tenant.acme-bot'"), unknown.getMessage());
        var empty = assertThrows(IllegalArgumentException.class,
                () -> TenantBindingFile.parse("tenants.acme-bot= , \n", "f.properties"));
        assertTrue(empty.getMessage().contains("tenants.acme-bot lists no tenant"), empty.getMessage());
        assertEquals(TenantBindingFile.Entries.NONE, TenantBindingFile.parse("# nothing bound here\n", "f"));
    }
}
