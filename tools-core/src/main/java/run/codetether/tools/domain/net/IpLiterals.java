package run.codetether.tools.domain.net;

import java.util.regex.Pattern;

/** Recognises IP literals without any DNS lookup (InetAddress.getByName on a name would resolve it). */
public final class IpLiterals {

    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]+(%[A-Za-z0-9._-]+)?");

    private IpLiterals() {}

    /** Dotted-quad IPv4 or an IPv6 literal (no brackets). */
    public static boolean isLiteral(String s) {
        if (V4.matcher(s).matches()) {
            return true;
        }
        return s.contains(":") && V6.matcher(s).matches();
    }
}
