package dev.parley.client.ui;

import java.util.Collection;
import java.util.function.Supplier;
import org.jline.utils.AttributedString;

/**
 * Where an interactive session shows lines and reads what the user types. {@link #show} may be
 * called from any thread while another is blocked in {@link #readLine}.
 */
public interface Screen extends AutoCloseable {
    /** Prints one line above the line being typed, leaving what was typed intact. */
    void show(AttributedString line);

    /**
     * The next line typed, or null at the end of input (Ctrl-D, end of a pipe) or after {@link #wakeUp}.
     *
     * @param initial text to start the line with, for the user to edit; null for an empty line
     *                (a screen that cannot edit ignores it)
     * @throws Interrupted the user pressed Ctrl-C
     */
    String readLine(AttributedString prompt, String initial);

    /**
     * A short note shown with the prompt until replaced, such as the count of lines still to send;
     * null removes it. A screen without a prompt shows nothing.
     */
    default void status(String note) {
    }

    /** The user names Tab offers after /to and /msg; a screen without line editing ignores them. */
    default void completeNames(Supplier<? extends Collection<String>> names) {
    }

    /** Makes a blocked {@link #readLine} return null, for when the session ends on its own. */
    void wakeUp();

    @Override
    void close();

    /** Ctrl-C at the prompt: the user wants out now. */
    final class Interrupted extends RuntimeException {
        public Interrupted() {
            super("interrupted", null, false, false);
        }
    }
}
