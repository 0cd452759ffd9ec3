package run.codetether.platform.kafka;

/**
 * How often records reach a consumer, which decides how long the broker holds its fetch while there is nothing to
 * read ({@code fetch.max.wait.ms}). A record that arrives answers a held fetch at once either way: the wait only sets
 * how often an idle consumer asks again, and with ~16 consumers on the local stack those idle asks were most of the
 * broker's requests when no task ran (issue 18: 60-78 fetches/s).
 */
public enum Traffic {
    /**
     * Records on every task's path (task events, work requests, sessions): Kafka's own wait (500 ms) or the
     * service's {@code kafka.fetch.max.wait.ms}. For consumers that seek, pause or resume while they run, too: a
     * fetch in flight delays the fetch from the new position until it is answered.
     */
    STEADY,
    /**
     * Records seldom (registrations, configs, cancels, budgets, commands): the broker holds an empty fetch
     * {@link KafkaClients#rareFetchWait()} ({@code codetether.kafka.rare-fetch-wait}, default 5 s). Only for
     * consumers whose position moves only by reading (no seek, pause or resume after their first poll), since a
     * fetch in flight is answered only by a record or that wait.
     */
    RARE
}
