package run.codetether.contracts.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants in the one shape every platform record carries them ({@code 2026-12-06T01:11:02.123456789Z}, what
 * {@link Instant#toString} writes) read and written without {@code DateTimeFormatter}: its general parser was about a
 * quarter of decoding a task event, the gateway reader's largest own cost per task (issue 18's JFR profile). Anything
 * else (an offset instead of {@code Z}, lower case, a year past 9999, a number, a leap second) goes to the
 * {@code jackson-datatype-jsr310} codec as before, so what is accepted, refused and written is unchanged.
 */
final class IsoInstants {
    private IsoInstants() {}

    static SimpleModule module() {
        SimpleModule m = new SimpleModule("codetether-iso-instants");
        m.addDeserializer(Instant.class, new Reader(InstantDeserializer.INSTANT));
        m.addSerializer(Instant.class, new Writer(InstantSerializer.INSTANCE));
        return m;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} as an instant; null when the text has another shape or is no valid
     * date (the caller then asks the general parser, which accepts it or says why not).
     */
    static Instant parse(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nano = digits(s, 20, fraction);
            if (nano < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nano *= 10;
            }
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nano);
        } catch (DateTimeException invalidDate) {
            return null;
        }
    }

    /** The decimal number of {@code count} digits at {@code from}; -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** What {@link Instant#toString} writes for years 0-9999; null for others (the general formatter's). */
    static String format(Instant at) {
        long seconds = at.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secOfDay = (int) Math.floorMod(seconds, 86_400);
        if (days < -719_528 || days > 2_932_896) { // outside 0000-01-01 .. 9999-12-31
            return null;
        }
        LocalDate date = LocalDate.ofEpochDay(days);
        char[] c = new char[30];
        put(c, 0, date.getYear(), 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secOfDay / 3_600, 2);
        c[13] = ':';
        put(c, 14, secOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secOfDay % 60, 2);
        int n = 19;
        int nano = at.getNano();
        if (nano != 0) {
            // as ISO_INSTANT: in groups of three digits, as many as needed
            c[n++] = '.';
            if (nano % 1_000_000 == 0) {
                put(c, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                put(c, n, nano / 1_000, 6);
                n += 6;
            } else {
                put(c, n, nano, 9);
                n += 9;
            }
        }
        c[n++] = 'Z';
        return new String(c, 0, n);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Reads the common shape itself, everything else through the general deserializer (as configured). */
    private static final class Reader extends JsonDeserializer<Instant> implements ContextualDeserializer {
        private final JsonDeserializer<Instant> general;

        Reader(JsonDeserializer<Instant> general) {
            this.general = general;
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            JsonDeserializer<?> configured = general instanceof ContextualDeserializer cd
                    ? cd.createContextual(ctxt, property) : general;
            // a property with its own @JsonFormat gets the general codec alone (its pattern may differ)
            return configured == general ? this : configured;
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = parse(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return general.deserialize(p, ctxt);
        }

        @Override
        public Class<?> handledType() {
            return Instant.class;
        }
    }

    /** Writes the common shape itself, everything else through the general serializer (as configured). */
    private static final class Writer extends JsonSerializer<Instant> implements ContextualSerializer {
        private final JsonSerializer<Instant> general;

        Writer(JsonSerializer<Instant> general) {
            this.general = general;
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider prov, BeanProperty property)
                throws JsonMappingException {
            JsonSerializer<?> configured = general instanceof ContextualSerializer cs
                    ? cs.createContextual(prov, property) : general;
            return configured == general ? this : configured;
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            String fast = provider.isEnabled(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    ? null : format(value);
            if (fast == null) {
                general.serialize(value, gen, provider);
            } else {
                gen.writeString(fast);
            }
        }

        @Override
        public Class<Instant> handledType() {
            return Instant.class;
        }
    }
}
