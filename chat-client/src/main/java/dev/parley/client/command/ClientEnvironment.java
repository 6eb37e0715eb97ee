package dev.parley.client.command;

import dev.parley.client.ui.Screen;
import dev.parley.client.ui.TerminalCheck;
import dev.parley.client.ui.TerminalScreen;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

/**
 * Everything the client takes from the process around it, so tests can hand in their own:
 * standard input, environment variables, whether input and output are terminals, the clock,
 * a way to ask for a password, and the terminal screen.
 */
public record ClientEnvironment(InputStream stdin, Map<String, String> env, boolean stdinIsTerminal,
                                boolean stdoutIsTerminal, Clock clock, ZoneId zone,
                                PasswordPrompt passwordPrompt, ScreenFactory terminalScreen) {

    /** Asks the person at the terminal for a password without echoing it. */
    @FunctionalInterface
    public interface PasswordPrompt {
        char[] ask(String prompt);
    }

    /** Opens the interactive terminal screen. */
    @FunctionalInterface
    public interface ScreenFactory {
        Screen open() throws IOException;
    }

    /**
     * Ctrl-C at the prompt ends the JVM with 130 (SIGINT) from inside readPassword; the hook only
     * moves the shell's prompt off the line of ours, as Ctrl-C at the chat prompt does. Not
     * through the console's writer: readPassword holds its lock. A console exists only when
     * standard output is the terminal, so System.out reaches the same line.
     */
    private static char[] askWithoutEcho(Console console, String text) {
        Thread newline = new Thread(() -> {
            System.out.println();
            System.out.flush();
        }, "newline after Ctrl-C");
        Runtime.getRuntime().addShutdownHook(newline);
        try {
            return console.readPassword("%s", text);
        } finally {
            Runtime.getRuntime().removeShutdownHook(newline);
        }
    }

    /** The real process: System.in, the real environment, the system clock and terminal. */
    public static ClientEnvironment system() {
        Console console = System.console();
        PasswordPrompt prompt = console == null ? null : text -> askWithoutEcho(console, text);
        return new ClientEnvironment(System.in, System.getenv(), TerminalCheck.stdinIsTerminal(),
                TerminalCheck.stdoutIsTerminal(), Clock.systemDefaultZone(), ZoneId.systemDefault(), prompt,
                TerminalScreen::open);
    }
}
