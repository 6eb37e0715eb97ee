package dev.parley.client.ui;

import java.io.IOException;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Whether standard input or output is a terminal, asked separately (Java 17's
 * {@code System.console()} only says whether both are).
 */
public final class TerminalCheck {
    private TerminalCheck() {
    }

    public static boolean stdinIsTerminal() {
        return isTerminal(SystemStream.Input);
    }

    public static boolean stdoutIsTerminal() {
        return isTerminal(SystemStream.Output);
    }

    private static boolean isTerminal(SystemStream stream) {
        // JNI asks isatty() directly; the exec provider runs `test -t` where the native library cannot load
        for (String provider : new String[] {"jni", "exec"}) {
            try {
                return TerminalProvider.load(provider).isSystemStream(stream);
            } catch (IOException | RuntimeException | LinkageError e) {
                // this provider is unavailable here; the next one, or System.console(), answers instead
                continue;
            }
        }
        return System.console() != null;
    }
}
