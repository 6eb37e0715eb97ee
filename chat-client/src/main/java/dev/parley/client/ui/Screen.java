package dev.parley.client.ui;

import org.jline.utils.AttributedString;

/**
 * Where an interactive session shows lines and reads what the user types. {@link #show} may be
 * called from any thread while another is blocked in {@link #readLine}.
 */
public interface Screen extends AutoCloseable {
    /** Prints one line above the line being typed, leaving what was typed intact. */
    void show(AttributedString line);

    /** The next line typed, or null at the end of input (Ctrl-D, end of a pipe) or after {@link #wakeUp}. */
    String readLine(AttributedString prompt);

    /** Makes a blocked {@link #readLine} return null, for when the session ends on its own. */
    void wakeUp();

    @Override
    void close();
}
