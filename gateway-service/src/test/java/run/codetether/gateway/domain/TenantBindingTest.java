package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one binding of clients to tenants, and what a grant allows (docs/a2a.md "Tenants"). */
class TenantBindingTest {
    final TenantBinding binding = new TenantBinding(List.of("ops"),
            Map.of("acme-bot", List.of(" acme ", "acme-eu", ""), "ops", List.of("globex")));

    @Test
    void aClientIsBoundToItsEntryInOrderAnAdminToAnyAndEveryOtherToDefault() {
        TenantGrant acme = binding.grantOf("acme-bot");
        assertEquals(List.of("acme", "acme-eu"), acme.tenants());
        assertEquals("acme", acme.defaultTenant());
        assertTrue(acme.mayUse("acme-eu"));
        assertFalse(acme.mayUse("globex"));
        assertFalse(acme.mayUse(null), "a task without a tenant is in tenant default, which acme-bot is not bound to");
        assertEquals(Optional.of(Set.of("acme", "acme-eu")), acme.readable());

        TenantGrant other = binding.grantOf("someone");
        assertTrue(other.mayUse("default"));
        assertTrue(other.mayUse(null));
        assertFalse(other.mayUse("acme"));
        assertNull(other.defaultTenant(), "tenant default travels as no tenant, as before tenants were bound");

        TenantGrant ops = binding.grantOf("ops");
        assertTrue(ops.mayUse("initech"));
        assertEquals("globex", ops.defaultTenant(), "an admin's own entry gives its default");
        assertEquals(Optional.empty(), ops.readable());
        assertEquals(TenantGrant.ADMIN, new TenantBinding(List.of("root"), Map.of()).grantOf("root"));
    }

    @Test
    void aNamedTenantsTasksAreSharedByItsKeysAnAdminReadsAllAndTenantDefaultStaysPerKey() {
        TenantGrant acme = binding.grantOf("acme-bot");
        assertTrue(acme.sharesTasksOf("acme-eu"), "a task belongs to its tenant: every key bound to it reads it");
        assertFalse(acme.sharesTasksOf("globex"));
        assertTrue(binding.grantOf("ops").sharesTasksOf("initech"), "an admin reads every tenant's tasks");
        assertTrue(binding.grantOf("ops").sharesTasksOf(null));
        assertFalse(binding.grantOf("someone").sharesTasksOf(null), "an unbound key sees its own tasks only");
        assertFalse(new TenantBinding(List.of(), Map.of("d", List.of("default", "acme"))).grantOf("d")
                .sharesTasksOf("default"), "tenant default is every unbound key's: never shared");
        assertFalse(TenantGrant.ANY.sharesTasksOf("acme"), "the anonymous/direct grant is not a binding's");

        Caller ci = new Caller("acme-ci").withTenants(acme);
        assertTrue(Tasks.visible("acme-bot", "acme", ci, null));
        assertTrue(Tasks.visible("acme-bot", "acme", ci, "acme"));
        assertFalse(Tasks.visible("acme-bot", "acme", ci, "acme-eu"), "the tenant named narrows the read");
        assertFalse(Tasks.visible("globex-bot", "globex", ci, null));
        Caller someone = new Caller("someone").withTenants(binding.grantOf("someone"));
        assertFalse(Tasks.visible("bob", null, someone, null));
        assertTrue(Tasks.visible("someone", null, someone, null));
        assertTrue(Tasks.visible("bob", null, Caller.ANONYMOUS, null), "open mode sees every task, as before");
    }

    @Test
    void theOlderStatsNamesMergeIntoTheSameBindingAndADisagreementFailsTheStart() {
        TenantBinding merged = TenantBinding.merged(List.of(), Map.of("a", List.of("acme")), List.of("cfo"),
                Map.of("a", List.of("acme"), "b", List.of("globex")));
        assertEquals(List.of("acme"), merged.grantOf("a").tenants());
        assertEquals(List.of("globex"), merged.grantOf("b").tenants());
        assertTrue(merged.grantOf("cfo").any());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TenantBinding.merged(
                List.of(), Map.of("a", List.of("acme")), List.of(), Map.of("a", List.of("acme", "globex"))));
        assertEquals("client a is bound to tenants [acme] by codetether.gateway.auth.tenants but to [acme, globex] "
                + "by the older codetether.gateway.stats.tenants: keep one entry (auth.tenants)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new TenantBinding(List.of(), Map.of("a", List.of(" ", ""))));
    }

    @Test
    void aBoundCallerSeesTheTasksOfItsTenantsOnly() {
        Caller acme = binding.bind(new Caller("acme-bot"));
        assertTrue(Tasks.visible("acme-bot", "acme-eu", acme, null));
        assertFalse(Tasks.visible("acme-bot", "globex", acme, null), "its own task in a tenant no longer bound");
        assertFalse(Tasks.visible("acme-bot", null, acme, null));
        assertTrue(Tasks.visible("other", "acme", acme, null), "another key's task in the same tenant");
        assertFalse(Tasks.visible("other", "globex", acme, null), "another tenant's task");
        assertFalse(Tasks.visible("other", null, binding.bind(new Caller("someone")), null),
                "another unbound key's task in tenant default");
        assertFalse(Tasks.visible("acme-bot", "acme", acme, "acme-eu"));
        Caller plain = binding.bind(new Caller("someone"));
        assertTrue(Tasks.visible("someone", null, plain, null));
        assertTrue(Tasks.visible("someone", "default", plain, "default"));
        assertTrue(Tasks.visible("x", "globex", Caller.ANONYMOUS, null), "an open gateway: every task");
        assertEquals(acme, new Caller("acme-bot"), "the grant is not part of the identity");
    }
}
