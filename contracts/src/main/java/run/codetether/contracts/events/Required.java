package run.codetether.contracts.events;

/** Constructor checks shared by the event records: a bad record never reaches the wire. */
public final class Required {
    private Required() {}

    public static void text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    public static void value(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
