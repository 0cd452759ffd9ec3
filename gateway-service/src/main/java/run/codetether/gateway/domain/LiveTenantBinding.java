package run.codetether.gateway.domain;

import java.util.function.Supplier;

/**
 * The binding of clients to tenants that every door reads (through the one {@code RequestGuard}), replaced whole
 * when its source changes (the tenant bindings file): a request binds its caller with one read of {@link #get}, so it
 * sees the old binding or the new one, never a mix, and every door switches at the same moment.
 */
public final class LiveTenantBinding implements Supplier<TenantBinding> {
    private volatile TenantBinding current;

    public LiveTenantBinding(TenantBinding initial) {
        this.current = initial;
    }

    @Override
    public TenantBinding get() {
        return current;
    }

    /** Replaces the binding for every request admitted from now on. */
    public void set(TenantBinding next) {
        current = next;
    }
}
