package run.codetether.tools.domain.git;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it goes anywhere (errors, logs, responses): the user info of any URL
 * ({@code scheme://user:token@host} becomes {@code scheme://***@host}) and every known secret value verbatim.
 */
public final class Redactor {

    private static final Pattern URL_USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s'\"]+@");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor of(Collection<String> secrets) {
        return new Redactor(secrets.stream().filter(s -> s != null && s.length() >= 4).distinct().toList());
    }

    public static Redactor none() {
        return new Redactor(List.of());
    }

    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = URL_USERINFO.matcher(text).replaceAll("$1***@");
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }

    /** Only the user-info rule (for text that can hold a URL but no other secret). */
    public static String urls(String text) {
        return text == null ? "" : URL_USERINFO.matcher(text).replaceAll("$1***@");
    }
}
