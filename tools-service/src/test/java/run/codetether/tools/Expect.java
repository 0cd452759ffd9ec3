package run.codetether.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;

/** Minimal fluent string/collection assertions (AssertJ is not available in this build's repository). */
public final class Expect {

    private Expect() {}

    public static Str assertThat(String actual) {
        return new Str(actual, "");
    }

    public static <T> Coll<T> assertThat(Collection<T> actual) {
        return new Coll<>(actual);
    }

    /** Assertions on one string; every failure message shows the whole actual value. */
    public record Str(String actual, String label) {

        public Str as(String l) {
            return new Str(actual, l);
        }

        public Str startsWith(String p) {
            assertTrue(actual.startsWith(p), label + " expected to start with <" + p + "> but was <" + actual + ">");
            return this;
        }

        public Str contains(String p) {
            assertTrue(actual.contains(p), label + " expected to contain <" + p + "> but was <" + actual + ">");
            return this;
        }

        public Str doesNotContain(String p) {
            assertTrue(!actual.contains(p), label + " expected not to contain <" + p + "> but was <" + actual + ">");
            return this;
        }

        public Str isEqualTo(String e) {
            assertEquals(e, actual, label);
            return this;
        }
    }

    /** Assertions on a collection. */
    public record Coll<T>(Collection<T> actual) {

        @SafeVarargs
        public final Coll<T> contains(T... items) {
            for (T t : List.of(items)) {
                assertTrue(actual.contains(t), "expected " + actual + " to contain " + t);
            }
            return this;
        }
    }
}
