package run.codetether.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether standard input and output are a terminal. The launcher knows for sure ({@code [ -t 0 ] && [ -t 1 ]}) and
 * passes {@code -Dcodetether.tty}; otherwise JDK 22+'s {@code Console.isTerminal()}, else (JDK 21) a console exists
 * only when both are terminals.
 */
public final class Tty {
    private Tty() {}

    public static boolean interactive() {
        String told = System.getProperty("codetether.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }

    public static boolean stdoutIsTerminal() {
        String told = System.getProperty("codetether.stdout-tty");
        return told != null ? Boolean.parseBoolean(told) : interactive();
    }
}
