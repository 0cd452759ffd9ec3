package run.codetether.contracts.cognition;

/** Field checks of the request records; the message names the snake_case field. */
final class Text {
    private Text() {}

    static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
