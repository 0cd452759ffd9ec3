package run.codetether.platform.budget;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where the tenants' spend per UTC day is kept: this replica's memory ({@link DailySpend}), or shared by every
 * agent replica (infra's Kafka ledger). Thread-safe.
 */
public interface SpendLedger {
    /** Adds one model call of this replica to the tenant's day. */
    void add(String tenant, LocalDate day, CallSpend call);

    /** What the tenant's priced calls cost on that day, over every replica this ledger knows of. */
    double spent(String tenant, LocalDate day);

    /**
     * Why the ledger cannot tell a tenant's spend now (the shared spend is not read yet, or its reader stopped), or
     * empty. A tenant with a budget is refused meanwhile: a budget is not enforced on a figure that may be too low.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }
}
