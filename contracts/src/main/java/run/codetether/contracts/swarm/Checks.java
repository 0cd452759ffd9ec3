package run.codetether.contracts.swarm;

/** Constructor checks of the swarm records: a bad record never reaches the wire. */
final class Checks {
    private Checks() {}

    static void text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
