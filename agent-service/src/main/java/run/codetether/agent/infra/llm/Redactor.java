package run.codetether.agent.infra.llm;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Scrubs credentials out of text that leaves the provider adapter (error messages built from provider bodies,
 * which sometimes echo a masked or even a full key). Known key values are replaced exactly; anything shaped like
 * a common key format is masked as well.
 */
public final class Redactor {
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(sk-[A-Za-z0-9_*\\-]{6,}|sk-ant-[A-Za-z0-9_*\\-]{6,}|AIza[0-9A-Za-z_\\-]{10,}|AKIA[0-9A-Z]{12,}|gh[pousr]_[A-Za-z0-9]{10,}|hvs\\.[A-Za-z0-9]{10,})");

    private Redactor() {}

    public static String redact(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, "[redacted]");
            }
        }
        return KEY_SHAPES.matcher(out).replaceAll("[redacted]");
    }
}
